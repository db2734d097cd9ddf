"""The convolution page. English and 中文, as (English, 中文) pairs."""

TABLE: dict[str, tuple[str, str]] = {
    # convolution page
    "page_convolution": ("Convolution", "卷积"),
    "card_convolution": (
        "Train a small CNN on digits or shapes and watch its kernels and feature maps learn, beside an MLP of "
        "the same size; see one convolution taken apart.",
        "在手写数字或图形上训练一个小型 CNN，观察它的卷积核和特征图如何学习，旁边是同样大小的 MLP；"
        "再把一次卷积拆开来看。"),
    "where_convolution": ("the convolution page", "卷积页面"),
    "cv_title": ("Convolution: watch kernels and feature maps learn", "卷积：看卷积核和特征图如何学习"),
    "cv_intro": (
        "A convolutional layer slides small kernels over the image; each kernel makes a feature map that lights up "
        "where its pattern is. Choose the images and the layers, check the shapes, press **Start**, and watch the "
        "kernels and maps change as the network learns. Turn on the MLP baseline to race a plain network of about "
        "the same size on the same batches.",
        "卷积层让小的卷积核在图像上滑动；每个卷积核生成一张特征图，图中哪里出现了它的图案，哪里就变亮。选好图像和各层，检查形状，"
        "按“开始”，观察网络学习时卷积核和特征图的变化。打开“MLP 基线”，让一个大小相近的普通网络在同样的批次上一起竞赛。"),
    "sec_images": ("Images", "图像"),
    "sec_conv_layers": ("Layers", "层"),
    "sec_shapes": ("Shapes before training: the shape calculator", "训练前的形状：形状计算器"),
    "sec_mistakes": ("Where it goes wrong", "它错在哪里"),
    "sec_explainer": ("One convolution, taken apart", "拆开一次卷积"),
    "w_images": ("Image set", "图像集"),
    "help_images": ("Digits: scikit-learn's 1,797 handwritten digits, 8×8 pixels. Shapes: lines, crosses, squares "
                    "and circles drawn for this app at random places and sizes, with noise.",
                    "手写数字：scikit-learn 自带的 1797 张 8×8 像素手写数字。图形：本应用生成的横线、竖线、十字、"
                    "正方形和圆，位置和大小随机，并带有噪声。"),
    "images_digits": ("Handwritten digits (8×8)", "手写数字（8×8）"),
    "images_shapes": ("Shapes", "图形"),
    "images_posed_digits": ("10 classes (0–9); every digit fills its 8×8 image, so the shapes-only settings are off.",
                            "10 个类别（0–9）；每个数字都占满 8×8 的图像，因此只适用于图形的设置不可用。"),
    "images_posed_shapes": ("5 classes: horizontal line, vertical line, cross, square, circle (chance: 20 %).",
                            "5 个类别：横线、竖线、十字、正方形、圆（随机猜中率：20%）。"),
    "w_image_side": ("Image side (pixels)", "图像边长（像素）"),
    "help_image_side": ("Shapes only: the images are this many pixels wide and high.", "仅用于图形：图像的宽和高（像素）。"),
    "w_image_count": ("Images (train + test)", "图像数量（训练 + 测试）"),
    "help_image_count": ("Shapes only: how many images are drawn, split into training and test images.",
                         "仅用于图形：生成多少张图像，再分成训练图像和测试图像。"),
    "w_image_noise": ("Pixel noise (std)", "像素噪声（标准差）"),
    "help_image_noise": ("Shapes only: the standard deviation of the random noise added to every pixel (pixels are 0 "
                         "to 1).", "仅用于图形：加到每个像素上的随机噪声的标准差（像素取值 0 到 1）。"),
    "w_train_share": ("Training share", "训练比例"),
    "help_train_share": ("The fraction of the images used for training; the rest are the test images.",
                         "用于训练的图像比例；其余为测试图像。"),
    "w_split": ("Where test shapes lie", "测试图形的位置"),
    "help_split": ("Shapes only. Anywhere: training and test shapes lie anywhere. Train left, test right: every training shape lies in "
                   "the left half and every test shape in the right half, places the network never saw.",
                   "仅用于图形。“任意位置”：训练和测试图形可以出现在任何地方。“左半训练，右半测试”：所有训练图形都在左半边，所有测试图形都在右半边，"
                   "也就是网络从未见过的位置。"),
    "split_random": ("Anywhere", "任意位置"),
    "split_halves": ("Train left, test right", "左半训练，右半测试"),
    "shape_horizontal": ("horizontal", "横线"),
    "shape_vertical": ("vertical", "竖线"),
    "shape_cross": ("cross", "十字"),
    "shape_square": ("square", "正方形"),
    "shape_circle": ("circle", "圆"),
    "w_conv_layers": ("Conv layers", "卷积层数"),
    "help_conv_layers": ("1 to 3 blocks of convolution → activation → pooling.", "1 到 3 个“卷积 → 激活 → 池化”块。"),
    "w_head": ("Head (before the classifier)", "输出头（分类器之前）"),
    "help_head": ("How the last feature maps reach the linear classifier. Flatten: every position of every map gets "
                  "its own weight. Global max / average: each map is first pooled to one number, so the answer does "
                  "not depend on where a pattern lies.",
                  "最后的特征图如何进入线性分类器。展平：每张特征图的每个位置都有自己的权重。全局最大 / 平均池化：先把每张特征图池化成一个数，"
                  "因此答案与图案出现在哪里无关。"),
    "head_flatten": ("Flatten", "展平"),
    "head_global_max": ("Global max pooling", "全局最大池化"),
    "head_global_avg": ("Global average pooling", "全局平均池化"),
    "w_baseline": ("MLP baseline", "MLP 基线"),
    "help_baseline": ("Also train a one-hidden-layer MLP on the raw pixels with about the same number of parameters, "
                      "on the same batches in lockstep. Switching it on or off starts both over.",
                      "同时训练一个 MLP：以原始像素为输入，只有一个隐藏层，参数量与 CNN 相近，与 CNN 同步使用相同的批次。打开或关闭它，"
                      "两个模型都会从头开始。"),
    "w_channels": ("Out channels", "输出通道数"),
    "help_channels": ("How many kernels this layer has: each makes one feature map.", "这一层有多少个卷积核：每个生成一张特征图。"),
    "w_kernel": ("Kernel (pixels)", "卷积核（像素）"),
    "help_kernel": ("The side k of each square k×k kernel.", "每个 k×k 方形卷积核的边长 k。"),
    "w_stride": ("Stride (pixels)", "步幅（像素）"),
    "help_stride": ("How far the kernel moves between two outputs: 2 halves the map's size.",
                    "卷积核在两个输出之间移动的距离：2 会让特征图尺寸减半。"),
    "w_padding": ("Padding (pixels)", "填充（像素）"),
    "help_padding": ("Rows and columns of zeros added round the input. With an odd kernel size k and stride 1, "
                     "(k − 1)/2 keeps the size (`same` padding); an even k or a larger stride cannot keep it.",
                     "在输入四周补上的零的行数和列数。卷积核大小 k 为奇数且步幅为 1 时，(k − 1)/2 可以保持尺寸不变（`same` 填充）；"
                     "k 为偶数或步幅更大时无法保持。"),
    "w_conv_activation": ("Activation", "激活函数"),
    "help_conv_activation": ("Applied to every value of the layer's feature maps.", "作用于这一层特征图的每个值。"),
    "w_pool": ("Pooling 2×2", "2×2 池化"),
    "help_pool": ("After the activation: each 2×2 block becomes its maximum or mean, halving the map's size; or none.",
                  "在激活之后：每个 2×2 块变成它的最大值或平均值，特征图尺寸减半；或者不池化。"),
    "pool_max": ("max", "最大"),
    "pool_avg": ("average", "平均"),
    "pool_none": ("none", "无"),
    "layer_input": ("input", "输入"),
    "layer_conv": ("conv{i}", "卷积 {i}"),
    "layer_pool": ("pool{i}", "池化 {i}"),
    "layer_gpool": ("global pool", "全局池化"),
    "layer_linear": ("classifier", "分类器"),
    "col_layer": ("Layer", "层"),
    "col_output": ("Output C × H × W", "输出 C × H × W"),
    "col_how": ("How", "计算方式"),
    "col_params": ("Parameters", "参数量"),
    "how_gpool_global_max": ("max of each {n}×{n} map", "每张 {n}×{n} 特征图的最大值"),
    "how_gpool_global_avg": ("mean of each {n}×{n} map", "每张 {n}×{n} 特征图的平均值"),
    "cap_shape_table": (
        "Computed before anything is built: a convolution gives ⌊(n + 2p − k)/s⌋ + 1 pixels from n (kernel k, "
        "stride s, padding p), a 2×2 pooling ⌊(n − 2)/2⌋ + 1. A conv layer has out × (in × k × k + 1) parameters.",
        "在搭建网络之前就算好：卷积把 n 个像素变成 ⌊(n + 2p − k)/s⌋ + 1 个（卷积核 k，步幅 s，填充 p）"
        "，2×2 池化变成 ⌊(n − 2)/2⌋ + 1 个。一个卷积层的参数量为 输出通道数 × (输入通道数 × k × k + 1)。"),
    "metric_cnn_params": ("CNN parameters", "CNN 参数量"),
    "help_cnn_params": ("Weights and biases of the conv layers and the classifier.", "卷积层和分类器的权重与偏置。"),
    "metric_mlp_params": ("MLP baseline parameters", "MLP 基线参数量"),
    "help_mlp_params": ("One hidden layer of {hidden} units on the {inputs} pixels: the width whose parameter count is "
                        "closest to the CNN's.", "以 {inputs} 个像素为输入，一个隐藏层，{hidden} 个单元：这是参数量与 CNN 最接近的宽度。"),
    "cv_conv_too_small": (
        "{layer}: {formula} pixels. A {k}×{k} kernel does not fit its {n}×{n} input: use a smaller kernel, more "
        "padding, a smaller stride or less pooling before it.",
        "{layer}：{formula} 个像素。{k}×{k} 的卷积核放不进 {n}×{n} 的输入：请用更小的卷积核、"
        "更多填充、更小的步幅，或在它之前少做一次池化。"),
    "cv_pool_too_small": (
        "{layer}: {formula} pixels. 2×2 pooling needs at least 2×2 pixels and its input is {n}×{n}: turn this "
        "pooling off or keep the maps larger.",
        "{layer}：{formula} 个像素。2×2 池化至少需要 2×2 个像素，而它的输入是 {n}×{n}：请关闭这个池化，或让特征图保持更大。"),
    "cv_does_not_fit": ("These layers do not fit the images — {detail} Training goes on with the last setting that fit.",
                        "这些层与图像尺寸不匹配——{detail} 训练仍按上一个可行的设置继续。"),
    "model_cnn": ("CNN", "CNN"),
    "model_mlp": ("MLP baseline", "MLP 基线"),
    "metric_model_acc": ("{model}: test accuracy", "{model}：测试准确率"),
    "help_metric_model_acc": ("Share of the test images classified correctly, now.", "当前测试图像中分类正确的比例。"),
    "w_test_image": ("Test image (1–{n})", "测试图像（1–{n}）"),
    "help_test_image": ("Which test image the feature maps are drawn for.", "为哪一张测试图像绘制特征图。"),
    "btn_another_image": ("Another image", "换一张图像"),
    "help_another_image": ("Show the feature maps of another test image, picked at random.", "随机挑选另一张测试图像，显示它的特征图。"),
    "cv_no_pictures": ("The CNN diverged: no pictures. Press Reset or lower the learning rate.",
                       "CNN 已发散：没有图像可显示。请按“重置”或降低学习率。"),
    "cv_example_line": ("Test image {number} is **{truth}**. {said}", "测试图像 {number} 是 **{truth}**。{said}"),
    "cv_said": ("{model} says {answer} ({confidence}) {mark}", "{model} 认为是 {answer}（{confidence}）{mark}"),
    "chart_feature_maps": ("Feature maps of every layer for test image {number}", "测试图像 {number} 在每一层的特征图"),
    "cap_feature_maps": (
        "One row per layer, from the image at the top: every map is drawn as large as the image (a small map's "
        "pixels as blocks), blue for positive, orange for negative, each row scaled to its own strongest value. "
        "Watch early maps pick out edges and strokes, and later ones answer whole parts.",
        "每一行是一层，最上面是图像本身：每张特征图都画得和图像一样大（小图的像素画成方块），蓝色为正、橙色为负，每行按自己的最大值缩放。"
        "观察前面的特征图如何挑出边缘和笔画，后面的特征图则对整个部件作出响应。"),
    "axis_weight": ("weight", "权重"),
    "axis_channel": ("kernel (output channel)", "卷积核（输出通道）"),
    "axis_out_channel": ("output channel →", "输出通道 →"),
    "axis_in_channel": ("input channel ↓", "输入通道 ↓"),
    "hover_kernel": ("out {0}, in {1}, row {2}, col {3}", "输出 {0}，输入 {1}，第 {2} 行，第 {3} 列"),
    "chart_first_kernels": ("The first layer's {k}×{k} kernels", "第一层的 {k}×{k} 卷积核"),
    "cap_first_kernels": (
        "Each kernel is the small pattern its feature map responds to: a bright blue stroke beside an orange one "
        "is an edge detector. They start as noise and take shape as the network learns.",
        "每个卷积核就是它的特征图所响应的小图案：亮蓝色笔画紧挨着橙色笔画的，就是边缘检测器。卷积核从噪声开始，随着学习逐渐成形。"),
    "chart_deep_kernels": ("Deeper kernels, one per (output, input) channel pair", "更深层的卷积核，每个 (输出, 输入) 通道对一个"),
    "cap_deep_kernels": (
        "A deeper layer's output channel sums one kernel over each of the previous layer's maps: a column here is "
        "one output channel, a row one input channel (a map of the layer before). Each layer has its own colour scale.",
        "更深一层的每个输出通道，是在上一层的每张特征图上各用一个卷积核、再把结果相加：这里每一列是一个输出通道，每一行是一个输入通道（前一层的一张特征图）"
        "。每层有自己的色标。"),
    "chart_confusion": ("Confusion matrix on the test images", "测试图像上的混淆矩阵"),
    "axis_true_class": ("true class", "真实类别"),
    "axis_predicted_class": ("predicted class", "预测类别"),
    "axis_share_of_row": ("share of the row", "占该行的比例"),
    "hover_confusion": ("{count} test images of {true} predicted as {predicted}",
                        "真实类别为 {true}、预测为 {predicted} 的测试图像：{count} 张"),
    "cap_confusion": (
        "Counts of test images by true class (row) and predicted class (column), from scikit-learn; the colour is "
        "the share of the row. A perfect model is a dark diagonal.",
        "按真实类别（行）和预测类别（列）统计的测试图像数量，由 scikit-learn 计算；颜色表示占该行的比例。完美的模型是一条深色的对角线。"),
    "chart_wrong": ("{model}: misclassified test images ({count})", "{model}：分错的测试图像（{count} 张）"),
    "gallery_said": ("<b>{predicted}</b>", "<b>{predicted}</b>"),
    "gallery_truth": ("is {true}", "实为 {true}"),
    "gallery_none": ("None: every test image is classified correctly.", "没有：所有测试图像都分对了。"),
    "gallery_shown": ("the first {shown} of {total}", "前 {shown} 张，共 {total} 张"),
    "cap_wrong": ("Under each image: what the model said (bold) and what it is. The gallery follows the training.",
                  "每张图像下方：模型的回答（粗体）和它的真实类别。这些图像随训练更新。"),
    "cv_explainer_intro": (
        "Pick an image and a kernel, then move the kernel with the row and column sliders: the output cell is the "
        "sum of the window's pixels times the kernel's numbers, element by element. The kernel is not flipped — "
        "deep learning's \"convolution\" is a cross-correlation, as `torch.nn.functional.conv2d` computes it.",
        "选一张图像和一个卷积核，再用“输出行”和“输出列”滑块移动卷积核：输出单元等于窗口内的像素与卷积核的数逐元素相乘后求和。"
        "卷积核不翻转——深度学习里的“卷积”其实是互相关，与 `torch.nn.functional.conv2d` 的计算相同。"),
    "w_explainer_image": ("Test image (1–{n})", "测试图像（1–{n}）"),
    "help_explainer_image": ("The image the kernel slides over.", "卷积核在其上滑动的图像。"),
    "w_explainer_kernel": ("Kernel", "卷积核"),
    "help_explainer_kernel": ("A preset 3×3 kernel, or one of the first layer's kernels as the CNN has learned it so far.",
                              "预设的 3×3 卷积核，或 CNN 第一层中到目前为止学到的某个卷积核。"),
    "kernel_edge_horizontal": ("Edge, horizontal", "水平边缘"),
    "kernel_edge_vertical": ("Edge, vertical", "竖直边缘"),
    "kernel_blur": ("Blur", "模糊"),
    "kernel_sharpen": ("Sharpen", "锐化"),
    "kernel_learned": ("Learned: first layer, kernel {channel}", "学到的：第一层，第 {channel} 个卷积核"),
    "w_explainer_padding": ("Padding (pixels)", "填充（像素）"),
    "help_explainer_padding": ("Zeros round the image; for an odd k at stride 1, (k − 1)/2 keeps the output as "
                               "large as the image.",
                               "图像四周补上的零；k 为奇数、步幅为 1 时，(k − 1)/2 使输出和图像一样大。"),
    "w_explainer_row": ("Output row", "输出行"),
    "help_explainer_row": ("Which output cell to compute: its row (the window's top row moves with it).",
                           "要计算哪个输出单元：它所在的行（窗口的顶行随之移动）。"),
    "w_explainer_col": ("Output column", "输出列"),
    "help_explainer_col": ("Which output cell to compute: its column.", "要计算哪个输出单元：它所在的列。"),
    "chart_explainer": ("{kernel} at output row {row}, column {col}", "{kernel}：输出第 {row} 行、第 {col} 列"),
    "panel_input": ("input (padding {padding}, grey)", "输入（填充 {padding}，灰色）"),
    "panel_kernel": ("kernel K", "卷积核 K"),
    "panel_products": ("window × K", "窗口 × K"),
    "panel_output": ("output map ({side}×{side})", "输出特征图（{side}×{side}）"),
    "axis_row": ("row", "行"),
    "axis_col": ("column", "列"),
    "axis_value": ("value", "值"),
    "cap_explainer": (
        "Left: the image with the kernel's window framed (the padding's zeros in grey). Middle: the kernel and "
        "the products of each pixel with the number over it. Right: the whole output map, this cell framed.",
        "左：图像，框出卷积核的窗口（灰色为填充的零）。中：卷积核，以及每个像素与对应数字的乘积。右：整张输出特征图，框出当前单元。"),
    "cv_explainer_sum": ("Sum of the {count} products: {terms} = **{total}**; plus the bias {bias}: output row {row}, "
                         "column {col} = **{value}**.",
                         "{count} 个乘积之和：{terms} = **{total}**；加上偏置 {bias}：输出第 {row} 行第 {col} 列 = **{value}**。"),
    "cv_learned_as_of": ("The learned kernels as they were at update {updates}; move a slider to see them now.",
                         "学到的卷积核取自第 {updates} 次更新时；移动任一滑块即可看到当前的卷积核。"),
    "lesson_conv_digits": ("Digits: a small CNN", "手写数字：一个小型 CNN"),
    "lesson_conv_digits_watch": (
        "Press Start: within about 20 epochs the CNN passes 95 % test accuracy while its first layer's kernels take "
        "shape. The MLP beside it, with about as many parameters, gets almost as far: the digits are centred, so "
        "where a stroke lies is no obstacle here.",
        "按“开始”：大约 20 轮内，CNN 的测试准确率超过 95%，同时第一层的卷积核逐渐成形。旁边参数量相近的 MLP 也差不多："
        "这些数字都在图像中央，所以笔画在哪里并不构成障碍。"),
    "lesson_conv_halves": ("Translation invariance: train left, test right", "平移不变性：左半训练，右半测试"),
    "lesson_conv_halves_watch": (
        "Every training shape lies in the left half, every test shape in the right half. The CNN pools each last map "
        "to its maximum (global max pooling), so a shape counts the same wherever it lies: within a few epochs it "
        "passes 95 % on the unseen half. The MLP, with about as many parameters, stays near chance (20 %).",
        "所有训练图形都在左半边，所有测试图形都在右半边。CNN 把最后的每张特征图池化成它的最大值（全局最大池化），所以图形无论出现在哪里都一样算："
        "几轮内，它在从未见过的右半边上就超过 95%。参数量相近的 MLP 则停在随机水平（20%）附近。"),
    "lesson_conv_halves_flatten": ("Same test, flatten head: the CNN fails too", "同样的测试换成展平输出头：CNN 也失败"),
    "lesson_conv_halves_flatten_watch": (
        "The same CNN with the flatten head: its classifier has a weight for every position of the last maps, and "
        "the right-hand positions never saw a shape in training. It learns the left half perfectly and stays at "
        "chance (20 %) on the right, like the MLP. Switch the head to global max pooling to fix it.",
        "同样的 CNN，换成展平输出头：分类器对最后特征图的每个位置都有一个权重，而右半边的位置在训练中从未见过图形。它完美地学会了左半边，"
        "在右半边却停在随机水平（20%），和 MLP 一样。把输出头换成全局最大池化就能解决。"),
}
