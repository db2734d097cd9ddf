"""The feedforward playground: data, network, views, pins, lessons, sharing, inside the network. English and 中文, as (English, 中文) pairs."""

TABLE: dict[str, tuple[str, str]] = {
    # playground
    "pg_title": ("Feedforward playground", "前馈网络实验场"),
    "pg_intro": (
        "Each hidden layer computes y = f(Wx + b). Choose the data and the network on the left, "
        "press Start, and watch the decision map and the loss. It opens on TensorFlow Playground's circle "
        "(2-4-2-1, tanh, batch 10) with SGD at a learning rate of 0.3 and Xavier initialization, which solve it "
        "in a few epochs; Playground's own 0.03 and weights uniform in ±0.5 need about a hundred.",
        "每个隐藏层计算 y = f(Wx + b)。在左侧选好数据和网络，按“开始”，观察决策图和损失。页面打开时是 TensorFlow Playground 的圆形数据（2-4-2-1、"
        "tanh、批大小 10），用学习率 0.3 的 SGD 和 Xavier 初始化，几轮之内就能分开两类；换成 Playground 自己的学习率 0.03 和 ±0.5 "
        "内均匀分布的初始权重，则需要大约一百轮。"),
    "sec_data": ("Data", "数据"),
    "sec_network": ("Network", "网络"),
    "sec_optimizer": ("Optimizer and regularization", "优化器与正则化"),
    "sec_training": ("Training", "训练"),
    "sec_formulas": ("The formulas behind this run", "本次运行背后的公式"),
    "w_dataset": ("Data set", "数据集"),
    "help_dataset": ("Which 2-D data to learn from, or your own CSV file. Points lie in the square [-6, 6]².",
                     "用来学习的二维数据，也可以用你自己的 CSV 文件。数据点都在正方形 [-6, 6]² 内。"),
    "ds_circle": ("Circle", "圆形"),
    "ds_xor": ("Exclusive or (XOR)", "异或（XOR）"),
    "ds_gauss": ("Two Gaussians", "两个高斯分布"),
    "ds_spiral": ("Spiral", "螺旋"),
    "w_noise": ("Noise (%)", "噪声（%）"),
    "help_noise": ("How far points are pushed from their clean position, in % of the data's scale.",
                   "数据点偏离其无噪声位置的程度，以数据尺度的百分比计。"),
    "w_train_ratio": ("Training data (%)", "训练数据比例（%）"),
    "help_train_ratio": ("Share of the points used for training; the rest are the test set.",
                         "用于训练的数据点比例；其余为测试集。"),
    "w_points": ("Number of points", "数据点数量"),
    "help_points": ("Training and test points together.", "训练和测试数据点的总数。"),
    "w_classes": ("Classes", "类别数"),
    "help_classes": ("Number of spiral arms, one class each.", "螺旋臂的条数，每条臂是一个类别。"),
    "w_layers": ("Hidden layers", "隐藏层数"),
    "help_layers": ("0 hidden layers is logistic regression on the chosen features: a straight decision boundary "
                    "from x₁, x₂ alone, a curved one with x², x₁x₂ or sin x (straight in those features).",
                    "0 个隐藏层就是在所选特征上做逻辑回归：只用 x₁、x₂ 时决策边界是直线；加上 x²、x₁x₂ 或 sin x 后边界是弯曲的（在这些特征构成的空间里仍是直的）"
                    "。"),
    "w_units": ("Units in layer {layer}", "第 {layer} 层单元数"),
    "help_units": ("Neurons in this hidden layer.", "该隐藏层中的单元（神经元）个数。"),
    "w_activation": ("Activation f", "激活函数 f"),
    "help_activation": ("The function f in y = f(Wx + b), used by every hidden layer unless each layer gets its own.",
                        "y = f(Wx + b) 中的函数 f；除非为某层单独选了激活函数，否则所有隐藏层都用它。"),
    "act_relu": ("ReLU", "ReLU"),
    "act_leaky_relu": ("Leaky ReLU", "Leaky ReLU"),
    "act_elu": ("ELU", "ELU"),
    "act_gelu": ("GELU", "GELU"),
    "act_silu": ("SiLU (swish)", "SiLU (swish)"),
    "act_mish": ("Mish", "Mish"),
    "act_softplus": ("Softplus", "Softplus"),
    "act_tanh": ("Tanh", "Tanh"),
    "act_sigmoid": ("Sigmoid", "Sigmoid"),
    "act_linear": ("Linear (none)", "线性（无）"),
    "w_init": ("Initialization", "初始化"),
    "help_init": ("How the weights are drawn before training (from the run's seed).",
                  "训练前权重如何随机生成（由本次运行的种子决定）。"),
    "init_default": ("torch default", "torch 默认"),
    "init_xavier": ("Xavier (Glorot & Bengio, 2010), gain 1 whatever the activation",
                    "Xavier（Glorot 与 Bengio，2010），增益为 1，不随激活函数改变"),
    "init_he": ("He (Kaiming), ReLU's gain √2 whatever the activation", "He（Kaiming），按 ReLU 的增益 √2，不随激活函数改变"),
    "init_playground": ("Playground: U(-0.5, 0.5), bias 0.1", "Playground：U(-0.5, 0.5)，偏置 0.1"),
    "init_zeros": ("Zeros (with tanh or ReLU no hidden weight ever gets a gradient)",
                   "全零（用 tanh 或 ReLU 时，隐藏层权重永远得不到梯度）"),
    "w_dropout": ("Dropout rate", "Dropout 比例"),
    "help_dropout": ("Fraction of hidden activations zeroed at random in each training update.",
                     "每次训练更新时，隐藏层激活值中随机置零的比例。"),
    "w_optimizer": ("Optimizer", "优化器"),
    "help_optimizer": ("The `torch.optim` rule that turns gradients into weight updates.",
                       "把梯度变成权重更新的 `torch.optim` 规则。"),
    "opt_sgd": ("SGD", "SGD"),
    "opt_momentum": ("SGD + momentum", "SGD + 动量"),
    "opt_nesterov": ("Nesterov momentum", "Nesterov 动量"),
    "opt_adagrad": ("Adagrad", "Adagrad"),
    "opt_rmsprop": ("RMSprop", "RMSprop"),
    "opt_adadelta": ("Adadelta", "Adadelta"),
    "opt_adam": ("Adam", "Adam"),
    "opt_adamw": ("AdamW", "AdamW"),
    "opt_nadam": ("NAdam", "NAdam"),
    "opt_radam": ("RAdam", "RAdam"),
    "opt_adamax": ("Adamax", "Adamax"),
    "w_lr": ("Learning rate η", "学习率 η"),
    "help_lr": ("Step size, on a log scale. Changes the live run without resetting the weights.",
                "步长（对数刻度）。修改后直接作用于正在进行的训练，不会重置权重。"),
    "help_hyper": ("A hyperparameter of this optimizer; changes the live run.", "该优化器的超参数；修改后直接作用于当前训练。"),
    "hyp_momentum": ("Momentum", "动量"),
    "hyp_beta1": ("First-moment decay", "一阶矩衰减率"),
    "hyp_beta2": ("Second-moment decay", "二阶矩衰减率"),
    "hyp_eps": ("Epsilon (stability)", "ε（数值稳定项）"),
    "hyp_alpha": ("Squared-gradient decay", "梯度平方衰减率"),
    "hyp_rho": ("Decay rate", "衰减率"),
    "hyp_momentum_decay": ("Momentum decay", "动量衰减"),
    "w_reg": ("Regularization", "正则化"),
    "help_reg": ("A penalty on the weights (never the biases) that keeps them small.",
                 "对权重（不含偏置）施加惩罚，让权重保持较小。"),
    "reg_none": ("None", "无"),
    "reg_l1": ("L1 penalty", "L1 惩罚"),
    "reg_l2": ("L2 penalty", "L2 惩罚"),
    "reg_weight_decay": ("Decoupled weight decay", "解耦权重衰减"),
    "w_reg_rate": ("Regularization rate λ", "正则化强度 λ"),
    "help_reg_rate": ("Strength λ of the penalty; changes the live run.", "惩罚强度 λ；修改后直接作用于当前训练。"),
    "w_batch": ("Batch size", "批大小"),
    "help_batch": ("Training examples per update. The largest value is full-batch gradient descent.",
                   "每次更新使用的训练样本数。最大值即全批量梯度下降。"),
    "w_seed": ("Seed", "随机种子"),
    "help_seed": ("Draws the initial weights, the batch order and the dropout masks.",
                  "决定初始权重、批次顺序和 Dropout 掩码。"),
    "w_device": ("Device", "设备"),
    "help_device": ("auto uses a CUDA GPU when the server has one.", "选“自动”时，服务器有 CUDA GPU 就用 GPU，否则用 CPU。"),
    "dev_auto": ("auto", "自动"),
    "dev_cpu": ("CPU", "CPU"),
    "dev_cuda": ("CUDA GPU", "CUDA GPU"),
    # playground: data, network, views, pinning, lessons, sharing
    "btn_regenerate": ("Regenerate data", "重新生成数据"),
    "help_regenerate": ("Draw new points from the same data set (a new data seed). The network starts again from the "
                        "same initial weights.",
                        "从同一数据集重新抽取数据点（新的数据种子）。网络从相同的初始权重重新开始。"),
    "w_features": ("Input features", "输入特征"),
    "help_features": ("What the network sees of each point (x₁, x₂). Products and sines are features computed "
                      "before the first layer: with sin x₁ and sin x₂ a small network separates the spiral easily.",
                      "每个点 (x₁, x₂) 以哪些特征输入网络。乘积和正弦是在第一层之前就算好的特征：有了 sin x₁ 和 sin x₂，"
                      "小网络也能轻松分开螺旋。"),
    "need_a_feature": ("The network needs at least one input feature: the previous choice is kept.",
                       "网络至少需要一个输入特征，已保留之前的选择。"),
    "w_per_layer": ("Activation per layer", "逐层设置激活函数"),
    "help_per_layer": ("Choose a different activation for each hidden layer.", "为每个隐藏层选择不同的激活函数。"),
    "w_layer_activation": ("Layer {layer}", "第 {layer} 层"),
    "w_show_test": ("Show test data", "显示测试数据"),
    "help_show_test": ("Draw the held-out test points (diamonds with a dark outline) on the decision map.",
                       "在决策图上画出留出的测试点（深色描边的菱形）。"),
    "w_discretize": ("Discretize output", "离散化输出"),
    "help_discretize": ("Colour each place by the predicted class only, without the model's confidence.",
                        "只按预测的类别给每个位置着色，不显示模型的置信度。"),
    "chart_accuracy": ("Accuracy", "准确率"),
    "axis_accuracy": ("accuracy", "准确率"),
    "cap_accuracy": ("Share of points classified correctly, training (solid) and test (dotted). A pinned run is drawn "
                     "faintly behind.",
                     "分类正确的点所占的比例：训练集（实线）与测试集（点线）。对照曲线以浅色画在后面。"),
    "btn_pin": ("Pin this run", "保留本次曲线作对照"),
    "help_pin": ("Keep this run's loss and accuracy curves on the charts, faintly, while you change settings and train "
                 "again: compare the two on one axis.",
                 "把本次运行的损失和准确率曲线以浅色留在图上；修改设置、重新训练后，两次运行可以在同一坐标轴上比较。"),
    "help_pin_compare": (
        "Keep this run's loss and accuracy curves on the charts, faintly. Then change a setting: the run starts over "
        "by itself from the same initial weights and trains, so the two curves compare on one axis.",
        "把本次运行的损失和准确率曲线以浅色留在图上。之后每修改一项设置，训练都会自动从相同的初始权重重新开始，两条曲线就可以在同一坐标轴上比较。"),
    "note_pin_restarted": (
        "Compared with the pinned run: the setting changed, so the run started over from the same initial weights "
        "and is training.",
        "与对照曲线比较：设置已更改，训练已从相同的初始权重自动重新开始。"),
    "btn_unpin": ("Remove pinned run", "移除对照曲线"),
    "help_unpin": ("Remove the pinned curves from the charts.", "从图中移除对照曲线。"),
    "sec_lessons": ("Ready lessons", "现成课例"),
    "help_close_lesson": ("Close the lesson's note", "关闭课例提示"),
    "lesson_features": ("Features make spirals easy", "特征让螺旋变容易"),
    "lesson_features_watch": (
        "The spiral with sin x₁, sin x₂ and the products as inputs, and Adam at 0.01: press Start and watch the two "
        "arms separate within about 30 epochs, a second or two. Then keep only x₁ and x₂ and press Start again — the "
        "same network is still near 70 % test accuracy after 100 epochs: the features did the work.",
        "螺旋数据，输入为 sin x₁、sin x₂ 和乘积，优化器为 Adam（学习率 0.01）：按“开始”，约 30 轮内（一两秒）"
        "两条螺旋臂就会分开。然后只保留 x₁ 和 x₂，再按“开始”——同样的网络训练 100 轮后，测试准确率仍在 70% 左右："
        "起作用的是特征。"),
    "lesson_capacity": ("Too little capacity", "容量太小"),
    "lesson_capacity_watch": (
        "One hidden unit can only draw one straight boundary, so the circle stays about a third wrong however long it "
        "trains. Set the layer to 3 units and the boundary closes around the circle within about 20 epochs.",
        "一个隐藏单元只能画出一条直线边界，所以无论训练多久，圆形数据都有约三分之一的点分错。把该层设为 3 个单元，约 20 轮内边界就会把圆围起来。"),
    "lesson_lr_high": ("Learning rate too high", "学习率太高"),
    "lesson_lr_high_watch": (
        "With a learning rate of 10 every update overshoots: the loss jumps around and accuracy stays at chance. The "
        "weights it threw far out stay there, so lowering the rate alone is not enough: set it back to 0.3, press Reset "
        "(the same initial weights) and Start, and the loss falls smoothly — the circle is solved in a few epochs.",
        "学习率为 10 时，每次更新都冲过了头：损失来回跳动，准确率停在随机水平。被甩到远处的权重会一直留在那里，所以只调低学习率还不够："
        "把它调回 0.3，按“重置”（回到相同的初始权重），再按“开始”，损失就会平稳下降——几轮之内就能分开圆形数据。"),
    "lesson_overfitting": ("Overfitting", "过拟合"),
    "lesson_overfitting_watch": (
        "A big network on 30 noisy training points learns them by heart: the training loss falls to almost 0 while the "
        "test loss climbs past 1. Pin the run, set L2 regularization to 0.01, press Reset (the same initial weights) and "
        "Start: the training loss stays above 0 and the test loss far lower, near 0.15. The gap between train and test "
        "shrinks; it does not vanish.",
        "大网络把 30 个带噪声的训练点死记硬背了下来：训练损失降到接近 0，测试损失却升到 1 以上。按“保留本次曲线作对照”，"
        "把 L2 正则化设为 0.01，按“重置”（回到相同的初始权重），再按“开始”：训练损失不再降到 0，测试损失则低得多，"
        "约为 0.15。训练与测试之间的差距缩小了，但不会消失。"),
    "sec_share": ("Share this setting", "分享此设置"),
    "cap_share": ("This link opens the page with these settings, the same data and the same initial weights (it carries "
                  "the seeds and the device). Copy it with the button at the right of the box.",
                  "打开此链接，页面会载入这些设置，数据和初始权重也都相同（链接中包含随机种子和设备）。用框右侧的按钮复制。"),
    "note_no_gpu_for_link": ("This link was made on a machine with a GPU; this server has none, so the run trains on the "
                             "CPU. The numbers can differ slightly from the original.",
                             "此链接是在有 GPU 的机器上生成的；此服务器没有 GPU，因此在 CPU 上训练，数值可能与原来略有不同。"),
    # playground: problem type, uploads on the page, regression pictures
    "help_problem": ("Classification: each point has a class (a colour). Regression: each point has a number to "
                     "predict (orange is low, blue high).",
                     "分类：每个点属于一个类别（一种颜色）。回归：每个点有一个要预测的数值（橙色低，蓝色高）。"),
    "w_example_file": ("…or an example file", "……或示例文件"),
    "help_example_file": ("Small CSV files that come with ffnviz (see `sample_data/README.md`).",
                          "ffnviz 自带的小型 CSV 文件（见 `sample_data/README.md`）。"),
    "upload_choose_file": ("Choose a CSV file or an example: until then the previous data stays.",
                           "请选择一个 CSV 文件或示例；选好之前，仍使用原来的数据。"),
    "upload_refused": ("This file cannot be used, so the previous data stays: {detail}",
                       "无法使用此文件，仍使用原来的数据：{detail}"),
    "prediction": ("prediction", "预测值"),
    "chart_prediction": ("Predicted value", "预测值图"),
    "target": ("target", "目标值"),
    "cap_loss_regression": ("Mean squared error on the training (solid) and test (dotted) data. Watch for the test "
                            "curve leaving the train curve: that gap is overfitting.",
                            "训练数据（实线）和测试数据（点线）上的均方误差。留意测试曲线何时与训练曲线分开：两者之间的差距就是过拟合。"),
    "cap_regression_map": ("The model's predicted value over the input plane (orange low, blue high), with each point "
                           "coloured by its target on the same scale: a point that stands out from its background is "
                           "one the model gets wrong.",
                           "模型在输入平面上的预测值（橙色低，蓝色高），每个点按其目标值用同一色标着色：颜色与背景不同的点，就是模型预测错的点。"),
    "formula_data_loss_binary": ("The data term for two classes (binary cross-entropy):", "两类问题的数据项（二元交叉熵）："),
    "formula_data_loss_multiclass": ("The data term for several classes (cross-entropy of the softmax):",
                                     "多类问题的数据项（softmax 的交叉熵）："),
    "formula_data_loss_regression": ("The data term for a regression (mean squared error):", "回归问题的数据项（均方误差）："),
    "share_upload_not_in_link": ("The data came from an uploaded file, which a link cannot carry: whoever opens the link "
                                 "must upload the same file to reproduce the run.",
                                 "数据来自上传的文件，而链接无法携带文件：打开链接的人必须上传同一个文件，才能复现这次运行。"),
    # playground: inside the network
    "w_show_inside": ("Show inside the network", "显示网络内部"),
    "help_show_inside": ("The network as a diagram, every neuron's map, histograms and norms over time, and a weight "
                         "editor. Refreshed once a second.",
                         "网络结构图、每个神经元的输出图、直方图和范数随时间的变化，以及权重编辑器。每秒刷新一次。"),
    "where_inside": ("inside-the-network panel", "网络内部面板"),
    "input_layer": ("inputs", "输入"),
    "output_short": ("output", "输出"),
    "unit": ("unit", "单元"),
    "weight": ("weight", "权重"),
    "bias": ("bias", "偏置"),
    "value": ("value", "数值"),
    "chart_network": ("The network", "网络结构"),
    "edges_capped": ("{shown} of {total} connections drawn (the strongest)", "只画出 {total} 条连接中最强的 {shown} 条"),
    "cap_network": ("Each line is a weight: blue positive, orange negative, thicker is larger |w|. A node's colour is its "
                    "bias. Pause to hover for exact values.",
                    "每条线是一个权重：蓝色为正，橙色为负，线越粗 |w| 越大。节点的颜色表示其偏置。暂停后悬停可查看精确数值。"),
    "chart_neuron_maps": ("What every neuron computes", "每个神经元的计算结果"),
    "tiles_capped": ("{shown} of {total} neurons shown", "只显示 {total} 个神经元中的 {shown} 个"),
    "cap_neuron_maps": ("Each small square is one neuron's output over the whole input plane (blue positive, orange "
                        "negative, each square on its own scale), laid out by layer like the network: watch simple "
                        "edges in the first layer combine into the final shape.",
                        "每个小方块是一个神经元在整个输入平面上的输出（蓝色为正，橙色为负，每个方块用各自的色标），像网络一样按层排列：观察第一层的简单边界如何组合成最终的形状。"),
    "w_pick_neuron": ("Enlarge a neuron", "放大一个神经元"),
    "help_pick_neuron": ("Show one neuron's map in full size below the small maps (a click on a small map chooses it "
                         "too).", "在小图下方以完整尺寸显示一个神经元的图（点击小图也能选中）。"),
    "hover_click_to_enlarge": ("click a neuron to enlarge it", "点击一个神经元可将其放大"),
    "cap_neuron_map": ("The chosen neuron's output over the input plane.", "所选神经元在输入平面上的输出。"),
    "w_hist_layer": ("Histogram of layer", "直方图显示的层"),
    "help_hist_layer": ("Whose activations the histogram over time shows.", "随时间变化的直方图显示哪一层的激活值。"),
    "inside_needs_training": ("Train for a moment (Start or Step): the pictures over time need a few measurements.",
                              "请先训练片刻（按“开始”或“单步”）：随时间变化的图需要先积累几次测量。"),
    "inside_diverged": ("The run diverged: its weights are not finite numbers, so there is nothing to draw. Reset.",
                        "训练已发散：权重不再是有限数值，无法绘制。请按“重置”。"),
    "chart_act_hist": ("Activations of layer {layer} over time", "第 {layer} 层激活值随时间的变化"),
    "axis_activation": ("activation", "激活值"),
    "cap_act_hist": ("Each column is a histogram of the layer's outputs on the probe points at one moment (darker: "
                     "fewer). Mass piling up at the ends of tanh or sigmoid is saturation; a bar stuck at 0 for ReLU "
                     "is dead units.",
                     "每一列是某一时刻该层在探针点上的输出直方图（颜色越暗，数量越少）。tanh 或 sigmoid 的值堆积在两端就是饱和；"
                     "ReLU 的值停在 0 的一条就是死亡单元。"),
    "chart_grad_time": ("Gradient norm per layer over time", "各层梯度范数随时间的变化"),
    "cap_grad_time": ("‖∂L/∂W‖ of each layer (log scale). A layer whose line sits orders of magnitude below the others "
                      "has a vanishing gradient: it barely learns.",
                      "各层的 ‖∂L/∂W‖（对数刻度）。某层的曲线比其他层低几个数量级，就是梯度消失：该层几乎学不到东西。"),
    "chart_dead_time": ("Dead and saturated units", "死亡与饱和的单元"),  # over epochs; fits half a row at 1280 px
    "axis_fraction": ("share", "比例"),
    "cap_dead_time": ("Dead: ReLU units that output 0 for every probe point. Saturated: tanh/sigmoid outputs within 1 % "
                      "of their bounds. Both pass almost no gradient.",
                      "死亡单元：对所有探针点都输出 0 的 ReLU 单元。饱和单元：输出距上下界不到 1% 的 tanh/sigmoid 单元。两者几乎都传不回梯度。"),
    "chart_weight_time": ("Weight norm per layer over time", "各层权重范数随时间的变化"),
    "cap_weight_time": ("‖W‖ of each layer (log scale): L2 and weight decay hold it down.",
                        "各层的 ‖W‖（对数刻度）：L2 和权重衰减会压低它。"),
    "chart_sparsity_time": ("Weight sparsity over time", "权重稀疏度随时间的变化"),
    "cap_sparsity_time": (
        "Share of weights with |w| < 0.001. L1 pulls the weights it does not need towards zero, but with autograd's "
        "subgradient and SGD or Adam they do not land on exactly 0: each update steps them across zero and back, "
        "so they hover within about a step's length of it (η·λ with SGD, up to about η with Adam). The curve counts those hovering within 0.001.",
        "|w| < 0.001 的权重所占的比例。L1 会把用不上的权重拉向零，但用自动求导的次梯度配合 SGD 或 Adam 时，"
        "它们不会恰好停在 0：每次更新都把它们推过零，再推回来，所以它们在零附近约一步的范围内徘徊（SGD 约为 η·λ，Adam 可达约 η）"
        "。曲线统计的是落在 0.001 以内的权重。"),
    "sec_weight_editor": ("Edit the weights", "编辑权重"),
    "editor_pause_first": ("Pause the run to edit its weights.", "暂停运行后即可编辑权重。"),
    "w_edit_layer": ("Layer to edit", "要编辑的层"),
    "help_edit_layer": ("The weights from one layer into the next; each row is a unit of the receiving layer.",
                        "从一层到下一层的权重；每行对应接收层的一个单元。"),
    "editor_refused": ("The edit was not applied: {detail}", "修改未生效：{detail}"),
    "cap_weight_editor": ("Change a number and press Enter: the maps and the numbers update at once. Reset brings back "
                          "the initial weights. A run with edited weights cannot be reproduced from its link.",
                          "修改一个数字后按回车：图和数值会立即更新。按“重置”可恢复初始权重。编辑过权重的运行无法通过链接复现。"),
    "share_edited": ("The weights were edited by hand: the link gives the settings, not these weights.",
                     "权重是手动改过的：链接只记录设置，不含这些权重。"),
}
