"""The translation table: every user-facing string, in English and Chinese.

A key missing in a language falls back to English, and a key missing everywhere shows itself
(so a slip is visible, never a crash).
"""

from __future__ import annotations

LANGUAGES = {"en": "English", "zh": "中文"}

# key: (English, 中文)
TABLE: dict[str, tuple[str, str]] = {
    # shell and home
    "page_home": ("Home", "首页"),
    "page_playground": ("Feedforward playground", "前馈网络实验场"),
    "card_playground": (
        "Train a small feedforward network y = f(Wx + b) on 2-D data and watch its decision regions "
        "and loss move, like TensorFlow Playground.",
        "在二维数据上训练一个小型前馈网络 y = f(Wx + b)，像 TensorFlow Playground 一样实时观察决策区域和损失的变化。"),
    "open_page": ("Open", "打开"),
    "home_title": ("ffnviz: watch neural-network layers train", "ffnviz：看神经网络的层如何训练"),
    "home_intro": (
        "Pick a layer, an activation, an optimizer, a learning rate and a regularizer, press **Start**, "
        "and watch the model learn: the loss falls, the decision regions bend, the weights grow. "
        "Every run is seeded, so the same settings give the same result every time.",
        "选择层、激活函数、优化器、学习率和正则化，按下 **开始**，观察模型学习：损失下降，决策区域弯曲，权重增长。"
        "每次运行都有固定的随机种子，相同的设置每次都得到相同的结果。"),
    "home_device": ("Device for training", "训练设备"),
    "no_gpu": ("No CUDA GPU on this server: training runs on the CPU.", "此服务器没有 CUDA GPU：在 CPU 上训练。"),
    "home_footer": (
        "Runs on a laptop without a GPU or network. Switch the language and projector mode in the sidebar.",
        "无需 GPU 或网络，笔记本电脑即可运行。在侧边栏切换语言和投影模式。"),
    "w_projector": ("Projector mode", "投影模式"),
    "help_projector": ("Larger fonts and lines, one chart per row: for a classroom projector.",
                       "更大的字体和线条，每行一个图表：适合教室投影。"),
    # playground
    "pg_title": ("Feedforward playground", "前馈网络实验场"),
    "pg_intro": (
        "Each hidden layer computes y = f(Wx + b). Choose the data and the network on the left, "
        "press Start, and watch the decision map and the loss.",
        "每个隐藏层计算 y = f(Wx + b)。在左侧选择数据和网络，按下开始，观察决策图和损失。"),
    "sec_data": ("Data", "数据"),
    "sec_network": ("Network", "网络"),
    "sec_optimizer": ("Optimizer and regularization", "优化器与正则化"),
    "sec_training": ("Training", "训练"),
    "sec_formulas": ("The formulas behind this run", "本次运行背后的公式"),
    "w_dataset": ("Data set", "数据集"),
    "help_dataset": ("Which 2-D data to learn from, or your own CSV file. Points lie in the square [-6, 6]².",
                     "要学习的二维数据，或你自己的 `CSV` 文件。数据点位于 [-6, 6]² 的正方形内。"),
    "ds_circle": ("Circle", "圆形"),
    "ds_xor": ("Exclusive or (XOR)", "异或 (XOR)"),
    "ds_gauss": ("Two Gaussians", "两个高斯分布"),
    "ds_spiral": ("Spiral", "螺旋"),
    "w_noise": ("Noise (%)", "噪声 (%)"),
    "help_noise": ("How far points are pushed from their clean position, in % of the data's scale.",
                   "数据点偏离其无噪声位置的程度，以数据尺度的百分比表示。"),
    "w_train_ratio": ("Training data (%)", "训练数据比例 (%)"),
    "help_train_ratio": ("Share of the points used for training; the rest are the test set.",
                         "用于训练的数据点比例；其余为测试集。"),
    "w_points": ("Number of points", "数据点数量"),
    "help_points": ("Training and test points together.", "训练和测试数据点的总数。"),
    "w_classes": ("Classes", "类别数"),
    "help_classes": ("Number of spiral arms, one class each.", "螺旋臂的数量，每条臂一个类别。"),
    "w_layers": ("Hidden layers", "隐藏层数"),
    "help_layers": ("0 hidden layers is logistic regression: a straight decision boundary.",
                    "0 个隐藏层就是逻辑回归：决策边界是一条直线。"),
    "w_units": ("Units in layer {layer}", "第 {layer} 层神经元数"),
    "help_units": ("Neurons in this hidden layer.", "该隐藏层中的神经元数量。"),
    "w_activation": ("Activation f", "激活函数 f"),
    "help_activation": ("The function f in y = f(Wx + b), used by every hidden layer.",
                        "y = f(Wx + b) 中的函数 f，所有隐藏层都使用它。"),
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
                  "训练前如何抽取权重（由本次运行的种子决定）。"),
    "init_default": ("torch default", "torch 默认"),
    "init_xavier": ("Xavier (Glorot & Bengio, 2010)", "Xavier（Glorot 与 Bengio，2010）"),
    "init_he": ("He (Kaiming)", "He（Kaiming）"),
    "init_playground": ("Playground: U(-0.5, 0.5), bias 0.1", "Playground：U(-0.5, 0.5)，偏置 0.1"),
    "init_zeros": ("Zeros (watch symmetry stall learning)", "全零（观察对称性如何阻碍学习）"),
    "w_dropout": ("Dropout rate", "Dropout 比例"),
    "help_dropout": ("Fraction of hidden activations zeroed at random in each training update.",
                     "每次训练更新中随机置零的隐藏层激活比例。"),
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
    "hyp_eps": ("Epsilon (stability)", "数值稳定项"),
    "hyp_alpha": ("Squared-gradient decay", "梯度平方衰减率"),
    "hyp_rho": ("Decay rate", "衰减率"),
    "hyp_momentum_decay": ("Momentum decay", "动量衰减"),
    "w_reg": ("Regularization", "正则化"),
    "help_reg": ("A penalty on the weights (never the biases) that keeps them small.",
                 "对权重（不含偏置）的惩罚，使其保持较小。"),
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
                  "决定初始权重、批次顺序和 dropout 掩码。"),
    "w_device": ("Device", "设备"),
    "help_device": ("auto uses a CUDA GPU when the server has one.", "“自动”会在服务器有 CUDA GPU 时使用它。"),
    "dev_auto": ("auto", "自动"),
    "dev_cpu": ("CPU", "CPU"),
    "dev_cuda": ("CUDA GPU", "CUDA GPU"),
    # run controls
    "btn_start": ("Start", "开始"),
    "btn_pause": ("Pause", "暂停"),
    "btn_step": ("Step", "单步"),
    "btn_reset": ("Reset", "重置"),
    "btn_new_weights": ("New weights", "新权重"),
    "help_start": ("Train continuously until you pause.", "持续训练，直到你暂停。"),
    "help_start_finished": ("This run has ended: press Reset to start over.", "本次运行已结束：按重置重新开始。"),
    "help_pause": ("Stop training; the weights stay.", "停止训练；权重保持不变。"),
    "help_step": ("Train one epoch = {updates} updates, then pause.", "训练一个轮次 = {updates} 次更新，然后暂停。"),
    "step_label": ("Step: 1 epoch = {updates} updates", "单步：1 个轮次 = {updates} 次更新"),
    "help_reset": ("Back to update 0 with the same initial weights and batch order.",
                   "回到第 0 次更新，使用相同的初始权重和批次顺序。"),
    "help_new_weights": ("Start over from new initial weights (the next seed).", "用新的初始权重（下一个种子）重新开始。"),
    "status": ("Status", "状态"),
    "status_ready": ("ready", "就绪"),
    "status_queued": ("waiting for a free slot", "等待空闲名额"),
    "status_running": ("training", "训练中"),
    "status_paused": ("paused", "已暂停"),
    "status_diverged": ("diverged", "已发散"),
    "status_done": ("finished", "已完成"),
    "device": ("device", "设备"),
    "updates_per_s": ("{rate} updates/s", "每秒 {rate} 次更新"),
    "note_diverged": ("diverged at update {update}: the loss became NaN or infinite.",
                      "在第 {update} 次更新时发散：损失变成了 NaN 或无穷大。"),
    "hint_diverged": ("Lower the learning rate, then press Reset.", "请降低学习率，然后按重置。"),
    "note_done": ("reached the step cap of {updates} updates.", "已达到 {updates} 次更新的上限。"),
    "note_idle": ("paused because no one watched this page for {minutes} minutes. Press Start to go on.",
                  "由于 {minutes} 分钟内无人查看此页面，训练已暂停。按开始继续。"),
    "note_queued": ("the server already trains its maximum of {cap} models; this run starts when one stops.",
                    "服务器已在训练最多 {cap} 个模型；有模型停止后本次运行就会开始。"),
    "note_rebuilt": ("Data, network, seed or device changed: the run started over from update 0.",
                     "数据、网络、种子或设备已更改：训练从第 0 次更新重新开始。"),
    "metric_epoch": ("Epoch", "轮次"),
    "metric_updates": ("Updates", "更新次数"),
    "metric_train_loss": ("Train loss", "训练损失"),
    "metric_test_loss": ("Test loss", "测试损失"),
    "metric_test_acc": ("Test accuracy", "测试准确率"),
    "help_metric_epoch": ("Passes over the training data.", "遍历训练数据的次数。"),
    "help_metric_updates": ("Optimizer steps taken so far.", "已进行的优化器步数。"),
    "help_metric_loss": ("Cross-entropy on the whole set, without the regularization term.",
                         "整个数据集上的交叉熵，不含正则化项。"),
    "help_metric_acc": ("Share of test points classified correctly.", "被正确分类的测试点比例。"),
    # charts
    "train": ("train", "训练"),
    "test": ("test", "测试"),
    "class": ("class", "类别"),
    "probability": ("P(class 1)", "P(类别 1)"),
    "axis_epoch": ("epoch", "轮次"),
    "axis_loss_log": ("loss (log scale)", "损失（对数刻度）"),
    "chart_loss": ("Loss", "损失"),
    "cap_loss": ("Cross-entropy on the training (solid) and test (dotted) data. Watch for the test curve leaving "
                 "the train curve: that gap is overfitting.",
                 "训练数据（实线）和测试数据（虚线）上的交叉熵。注意测试曲线与训练曲线分开的地方：这个差距就是过拟合。"),
    "chart_decision": ("Decision map", "决策图"),
    "cap_decision": ("The model's output over the input plane: colour is the predicted class, its strength the "
                     "confidence. Circles are training points, diamonds (dark outline) test points.",
                     "模型在输入平面上的输出：颜色表示预测的类别，深浅表示置信度。圆点是训练点，菱形（深色描边）是测试点。"),
    "sec_inside": ("Inside the network (probes, 1 refresh/s)", "网络内部（探针，每秒刷新 1 次）"),
    "layer": ("layer", "层"),
    "output_layer": ("output (logits)", "输出层（未归一化得分）"),
    "grad_norm": ("gradient norm ‖∂L/∂W‖", "梯度范数 ‖∂L/∂W‖"),
    "weight_norm": ("weight norm ‖W‖", "权重范数 ‖W‖"),
    "axis_norm_log": ("norm (log scale)", "范数（对数刻度）"),
    "chart_layer_norms": ("Gradient and weight norm per layer", "每层的梯度范数与权重范数"),
    "cap_layer_norms": (
        "Measured on a fixed batch of up to 256 training points. A gradient bar far below its neighbours "
        "is a vanishing gradient: that layer barely learns.",
        "在最多 256 个训练点的固定批次上测量。某层的梯度柱远低于相邻层即为梯度消失：该层几乎学不到东西。"),
    "col_activation": ("activation", "激活函数"),
    "col_grad": ("‖∂L/∂W‖", "‖∂L/∂W‖"),
    "col_weight": ("‖W‖", "‖W‖"),
    "col_mean": ("mean", "均值"),
    "col_std": ("std", "标准差"),
    "col_dead": ("dead", "死亡"),
    "col_saturated": ("saturated", "饱和"),
    "cap_probe_table": (
        "Mean and std of each layer's outputs. Dead: ReLU units that output 0 for every probe point (they "
        "no longer learn). Saturated: tanh/sigmoid outputs within 1 % of their bounds, where the gradient is "
        "nearly 0. ‖∂L/∂W‖ and ‖W‖: the layer's gradient and weight norms.",
        "各层输出的均值和标准差。死亡：对所有探针点都输出 0 的 ReLU 单元（它们不再学习）。饱和：距边界 1% 以内的 "
        "tanh/sigmoid 输出，此处梯度几乎为 0。‖∂L/∂W‖ 与 ‖W‖：该层的梯度范数和权重范数。"),
    # formulas
    "formula_layer": ("Each hidden layer ℓ, with f = {activation}:", "每个隐藏层 ℓ，其中 f = {activation}："),
    "formula_loss": ("The loss being minimized:", "要最小化的损失："),
    "formula_update": ("The update rule of {optimizer} (η is the learning rate):", "{optimizer} 的更新规则（η 为学习率）："),
    "formula_chapter_note": (
        "Where the book chapter differs: it writes x = f(Wx + b), but the layer's output is a new "
        "vector y (here h_ℓ); and its update rule multiplies by ∂y/∂x, while the weights move along "
        "the gradient of the loss with respect to the weights, ∂L/∂W.",
        "与书中章节的不同之处：章节写作 x = f(Wx + b)，但该层的输出是一个新的向量 y（此处为 h_ℓ）；"
        "章节的更新规则乘以 ∂y/∂x，而权重实际上沿损失对权重的梯度 ∂L/∂W 移动。"),
    # playground: data, network, views, pinning, lessons, sharing
    "btn_regenerate": ("Regenerate data", "重新生成数据"),
    "help_regenerate": ("Draw new points from the same data set (a new data seed). The network starts again from the "
                        "same initial weights.",
                        "从同一数据集重新抽取数据点（新的数据种子）。网络从相同的初始权重重新开始。"),
    "w_features": ("Input features", "输入特征"),
    "help_features": ("What the network sees of each point (x₁, x₂). Products and sines are features computed "
                      "before the first layer: with sin x₁ and sin x₂ a small network separates the spiral easily.",
                      "网络看到的每个点 (x₁, x₂) 的信息。乘积和正弦是在第一层之前计算的特征：有了 sin x₁ 和 sin x₂，"
                      "小网络也能轻松分开螺旋。"),
    "need_a_feature": ("The network needs at least one input feature: the previous choice is kept.",
                       "网络至少需要一个输入特征：保留之前的选择。"),
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
                     "被正确分类的点所占比例，训练（实线）与测试（虚线）。固定的运行以淡色画在后面。"),
    "btn_pin": ("Pin this run", "固定此运行"),
    "help_pin": ("Keep this run's loss and accuracy curves on the charts, faintly, while you change settings and train "
                 "again: compare the two on one axis.",
                 "在你修改设置并重新训练时，把此运行的损失和准确率曲线以淡色保留在图上：在同一坐标轴上比较两者。"),
    "btn_unpin": ("Remove pinned run", "移除固定的运行"),
    "help_unpin": ("Remove the pinned curves from the charts.", "从图中移除固定的曲线。"),
    "sec_lessons": ("Ready lessons", "现成的课程"),
    "help_close_lesson": ("Close the lesson's note", "关闭课程提示"),
    "lesson_features": ("Features make spirals easy", "特征让螺旋变简单"),
    "lesson_features_watch": (
        "The spiral with sin x₁, sin x₂ and the products as inputs: press Start and watch the two arms separate within a "
        "few hundred epochs. Then keep only x₁ and x₂ — the same network stays near 65 % test accuracy.",
        "以 sin x₁、sin x₂ 和乘积作为输入的螺旋：按下开始，观察两条旋臂在几百个周期内被分开。"
        "然后只保留 x₁ 和 x₂ —— 同样的网络测试准确率停留在 65% 左右。"),
    "lesson_capacity": ("Too little capacity", "容量太小"),
    "lesson_capacity_watch": (
        "One hidden unit can only draw one straight boundary, so the circle stays about a third wrong however long it "
        "trains. Set the layer to 3 units and the boundary closes around the circle.",
        "一个隐藏单元只能画出一条直线边界，所以无论训练多久，圆形数据都有约三分之一分错。"
        "把该层设为 3 个单元，边界就会围住圆。"),
    "lesson_lr_high": ("Learning rate too high", "学习率太高"),
    "lesson_lr_high_watch": (
        "With a learning rate of 10 every update overshoots: the loss jumps around and accuracy stays at chance. "
        "Lower it step by step to 0.03 and watch the loss fall smoothly.",
        "学习率为 10 时每次更新都冲过头：损失来回跳动，准确率停留在随机水平。"
        "逐步把它降到 0.03，观察损失平稳下降。"),
    "lesson_overfitting": ("Overfitting", "过拟合"),
    "lesson_overfitting_watch": (
        "A big network on 30 noisy training points learns them by heart: the training loss falls to almost 0 while the "
        "test loss climbs. Pin the run, set L2 regularization to 0.01 (or dropout to 0.3), train again and compare: the "
        "gap between train and test closes.",
        "大网络在 30 个带噪声的训练点上把它们死记硬背：训练损失降到接近 0，而测试损失不断上升。"
        "固定此运行，把 L2 正则化设为 0.01（或 dropout 设为 0.3），再次训练并比较：训练与测试之间的差距缩小了。"),
    "sec_share": ("Share this setting", "分享此设置"),
    "cap_share": ("This link opens the page with these settings, the same data and the same initial weights (it carries "
                  "the seeds and the device). Copy it with the button at the right of the box.",
                  "此链接以这些设置打开页面，数据和初始权重都相同（链接包含随机种子和设备）。用框右侧的按钮复制。"),
    "note_no_gpu_for_link": ("This link was made on a machine with a GPU; this server has none, so the run trains on the "
                             "CPU. The numbers can differ slightly from the original.",
                             "此链接是在有 GPU 的机器上生成的；此服务器没有 GPU，因此在 CPU 上训练。数值可能与原来略有不同。"),
    # playground: problem type, uploads on the page, regression pictures
    "help_problem": ("Classification: each point has a class (a colour). Regression: each point has a number to "
                     "predict (orange is low, blue high).",
                     "分类：每个点属于一个类别（一种颜色）。回归：每个点有一个要预测的数值（橙色低，蓝色高）。"),
    "w_example_file": ("…or an example file", "……或示例文件"),
    "help_example_file": ("Small CSV files that come with ffnviz (see sample_data/README.md).",
                          "ffnviz 自带的小型 `CSV` 文件（见 `sample_data/README.md`）。"),
    "upload_choose_file": ("Choose a CSV file or an example: until then the previous data stays.",
                           "请选择一个 `CSV` 文件或示例：在此之前保留之前的数据。"),
    "upload_refused": ("This file cannot be used, so the previous data stays: {detail}",
                       "无法使用此文件，因此保留之前的数据：{detail}"),
    "prediction": ("prediction", "预测值"),
    "chart_prediction": ("Predicted value", "预测值图"),
    "target": ("target", "目标值"),
    "cap_loss_regression": ("Mean squared error on the training (solid) and test (dotted) data. Watch for the test "
                            "curve leaving the train curve: that gap is overfitting.",
                            "训练数据（实线）和测试数据（虚线）上的均方误差。注意测试曲线与训练曲线分开的地方：这个差距就是过拟合。"),
    "cap_regression_map": ("The model's predicted value over the input plane (orange low, blue high), with each point "
                           "coloured by its target on the same scale: a point that stands out from its background is "
                           "one the model gets wrong.",
                           "模型在输入平面上的预测值（橙色低，蓝色高），每个点按其目标值以同一色标着色：与背景颜色不同的点就是模型预测错的点。"),
    "formula_data_loss_binary": ("The data term for two classes (binary cross-entropy):", "两类问题的数据项（二元交叉熵）："),
    "formula_data_loss_multiclass": ("The data term for several classes (cross-entropy of the softmax):",
                                     "多类问题的数据项（softmax 的交叉熵）："),
    "formula_data_loss_regression": ("The data term for a regression (mean squared error):", "回归问题的数据项（均方误差）："),
    "share_upload_not_in_link": ("The data came from an uploaded file, which a link cannot carry: whoever opens the link "
                                 "must upload the same file to reproduce the run.",
                                 "数据来自上传的文件，链接无法携带文件：打开链接的人必须上传同一个文件才能重现此运行。"),
    # playground: inside the network
    "w_show_inside": ("Show inside the network", "显示网络内部"),
    "help_show_inside": ("The network as a diagram, every neuron's map, histograms and norms over time, and a weight "
                         "editor. Refreshed once a second.",
                         "以图示展示网络、每个神经元的图、随时间变化的直方图和范数，以及权重编辑器。每秒刷新一次。"),
    "where_inside": ("inside-the-network panel", "网络内部面板"),
    "input_layer": ("inputs", "输入"),
    "output_short": ("output", "输出"),
    "unit": ("unit", "单元"),
    "weight": ("weight", "权重"),
    "bias": ("bias", "偏置"),
    "value": ("value", "数值"),
    "chart_network": ("The network", "网络结构"),
    "edges_capped": ("{shown} of {total} connections drawn (the strongest)", "绘制了 {total} 条连接中最强的 {shown} 条"),
    "cap_network": ("Each line is a weight: blue positive, orange negative, thicker is larger |w|. A node's colour is its "
                    "bias. Pause to hover for exact values.",
                    "每条线是一个权重：蓝色为正，橙色为负，越粗 |w| 越大。节点的颜色表示其偏置。暂停后悬停可查看精确数值。"),
    "chart_neuron_maps": ("What every neuron computes", "每个神经元的计算结果"),
    "tiles_capped": ("{shown} of {total} neurons shown", "显示了 {total} 个神经元中的 {shown} 个"),
    "cap_neuron_maps": ("Each small square is one neuron's output over the whole input plane (blue positive, orange "
                        "negative, each square on its own scale), laid out by layer like the network: watch simple "
                        "edges in the first layer combine into the final shape.",
                        "每个小方块是一个神经元在整个输入平面上的输出（蓝色为正，橙色为负，每个方块使用各自的色标），"
                        "按层排列如同网络：观察第一层的简单边界如何组合成最终的形状。"),
    "w_pick_neuron": ("Enlarge a neuron", "放大一个神经元"),
    "help_pick_neuron": ("Show one neuron's map in full size below the small maps.", "在小图下方以完整尺寸显示一个神经元的图。"),
    "cap_neuron_map": ("The chosen neuron's output over the input plane.", "所选神经元在输入平面上的输出。"),
    "w_hist_layer": ("Histogram of layer", "直方图所属层"),
    "help_hist_layer": ("Whose activations the histogram over time shows.", "随时间变化的直方图显示哪一层的激活值。"),
    "inside_needs_training": ("Train for a moment (Start or Step): the pictures over time need a few measurements.",
                              "请先训练片刻（开始或单步）：随时间变化的图需要几次测量。"),
    "inside_diverged": ("The run diverged: its weights are not finite numbers, so there is nothing to draw. Reset.",
                        "运行已发散：权重不是有限数值，无法绘制。请重置。"),
    "chart_act_hist": ("Activations of layer {layer} over time", "第 {layer} 层激活值随时间的变化"),
    "axis_activation": ("activation", "激活值"),
    "cap_act_hist": ("Each column is a histogram of the layer's outputs on the probe points at one moment (darker: "
                     "fewer). Mass piling up at the ends of tanh or sigmoid is saturation; a bar stuck at 0 for ReLU "
                     "is dead units.",
                     "每一列是某一时刻该层在探针点上的输出直方图（越暗越少）。tanh 或 sigmoid 的值堆积在两端即为饱和；"
                     "ReLU 停留在 0 的条带即为死亡单元。"),
    "chart_grad_time": ("Gradient norm per layer over time", "各层梯度范数随时间的变化"),
    "cap_grad_time": ("‖∂L/∂W‖ of each layer (log scale). A layer whose line sits orders of magnitude below the others "
                      "has a vanishing gradient: it barely learns.",
                      "各层的 ‖∂L/∂W‖（对数刻度）。某层的曲线比其他层低几个数量级，说明梯度消失：该层几乎学不到东西。"),
    "chart_dead_time": ("Dead and saturated units over time", "死亡与饱和单元随时间的变化"),
    "axis_fraction": ("share", "比例"),
    "cap_dead_time": ("Dead: ReLU units that output 0 for every probe point. Saturated: tanh/sigmoid outputs within 1 % "
                      "of their bounds. Both pass almost no gradient.",
                      "死亡：对所有探针点都输出 0 的 ReLU 单元。饱和：距边界 1% 以内的 tanh/sigmoid 输出。两者几乎都不传递梯度。"),
    "chart_weight_time": ("Weight norm per layer over time", "各层权重范数随时间的变化"),
    "cap_weight_time": ("‖W‖ of each layer (log scale): L2 and weight decay hold it down.",
                        "各层的 ‖W‖（对数刻度）：L2 和权重衰减会压低它。"),
    "chart_sparsity_time": ("Weight sparsity over time", "权重稀疏度随时间的变化"),
    "cap_sparsity_time": ("Share of weights with |w| < 0.001: L1 drives weights to exactly zero.",
                          "|w| < 0.001 的权重所占比例：L1 会把权重压到恰好为零。"),
    "sec_weight_editor": ("Edit the weights", "编辑权重"),
    "editor_pause_first": ("Pause the run to edit its weights.", "暂停运行后即可编辑权重。"),
    "w_edit_layer": ("Layer to edit", "要编辑的层"),
    "help_edit_layer": ("The weights from one layer into the next; each row is a unit of the receiving layer.",
                        "从一层到下一层的权重；每行是接收层的一个单元。"),
    "editor_refused": ("The edit was not applied: {detail}", "修改未生效：{detail}"),
    "cap_weight_editor": ("Change a number and press Enter: the maps and the numbers update at once. Reset brings back "
                          "the initial weights. A run with edited weights cannot be reproduced from its link.",
                          "修改一个数字并按回车：图和数值会立即更新。重置会恢复初始权重。编辑过权重的运行无法通过链接重现。"),
    "share_edited": ("The weights were edited by hand: the link gives the settings, not these weights.",
                     "权重已被手动编辑：链接只包含设置，不包含这些权重。"),
    # optimizer page
    "page_optimizers": ("Optimizer race", "优化器竞赛"),
    "card_optimizers": (
        "Watch optimizers walk 2-D loss surfaces, then race them on one real network from the same "
        "starting weights, live, side by side.",
        "观察优化器在二维损失曲面上行走，再让它们从相同的初始权重出发，在同一个真实网络上实时并排竞赛。"),
    "op_title": ("Optimizer race", "优化器竞赛"),
    "op_intro": (
        "First, optimizers on 2-D surfaces you can see whole; then the same optimizers training a real "
        "network, all from the same initial weights and the same batches.",
        "先看优化器在可以完整看到的二维曲面上的表现；再看同样的优化器训练一个真实网络，它们的初始权重和批次完全相同。"),
    "tab_surfaces": ("On 2-D surfaces", "二维曲面"),
    "tab_race": ("Race on a network", "网络上的竞赛"),
    "where_surfaces": ("the 2-D surfaces", "二维曲面"),
    "where_race": ("the race", "竞赛"),
    "caveat_2d": (
        "A caveat: how an optimizer behaves on a 2-D toy surface does not predict how it behaves on a real "
        "network, whose loss has millions of directions. Use these pictures to see what an update rule does, "
        "then compare on the race tab.",
        "注意：优化器在二维玩具曲面上的表现并不能预测它在真实网络上的表现——真实网络的损失有成千上万个方向。"
        "用这些图来理解更新规则做了什么，然后到竞赛标签页上比较。"),
    "w_surface": ("Surface", "曲面"),
    "help_surface": ("The loss surface f(x, y) the optimizers walk on. Its formula and minima are shown below.",
                     "优化器在其上行走的损失曲面 f(x, y)。下方显示其公式和极小值点。"),
    "surf_rosenbrock": ("Rosenbrock (a curved valley)", "Rosenbrock（弯曲的山谷）"),
    "surf_beale": ("Beale", "Beale"),
    "surf_himmelblau": ("Himmelblau (four minima)", "Himmelblau（四个极小值）"),
    "surf_rastrigin": ("Rastrigin (many local minima)", "Rastrigin（许多局部极小值）"),
    "surf_saddle": ("Saddle x² − y²", "鞍面 x² − y²"),
    "surf_ravine": ("Ravine (ill-conditioned quadratic)", "峡谷（病态二次函数）"),
    "surf_booth": ("Booth", "Booth"),
    "w_condition": ("Condition number κ", "条件数 κ"),
    "help_condition": ("How much steeper the ravine is across than along: the ratio of its two curvatures.",
                       "峡谷横向比纵向陡多少：两个曲率之比。"),
    "w_steps_2d": ("Steps", "步数"),
    "help_steps_2d": ("How many updates each optimizer makes.", "每个优化器进行多少次更新。"),
    "w_start_x": ("Start x", "起点 x"),
    "w_start_y": ("Start y", "起点 y"),
    "help_start_point": ("Where every optimizer starts.", "所有优化器的出发点。"),
    "w_walkers": ("Optimizers", "优化器数量"),
    "help_walkers": ("How many optimizers walk the surface (1 to 6), each with its own settings below.",
                     "在曲面上行走的优化器数量（1 到 6 个），每个都在下方有自己的设置。"),
    "surface_minima": ("Minimum at {minima}.", "极小值点：{minima}。"),
    "surface_no_minimum": ("No minimum: the surface falls without end along y.", "没有极小值：曲面沿 y 方向无限下降。"),
    "walker_diverged": ("{name} diverged at step {step}: its path stops there. Try a smaller learning rate.",
                        "{name} 在第 {step} 步发散，路径在此中断。请尝试更小的学习率。"),
    "chart_paths": ("Paths on the surface (contours on a log scale)", "曲面上的路径（等高线为对数刻度）"),
    "cap_paths": (
        "Each colour is one optimizer's path from the start towards a minimum (star). Press play to watch "
        "them move; the slider picks a step. The animation runs in your browser. Click the contour to start "
        "from there.",
        "每种颜色是一个优化器从起点走向极小值（星号）的路径。按播放观看移动，滑块选择步数。动画在浏览器中运行。"
        "点击等高线图即可从该处出发。"),
    "chart_loss_by_step": ("Loss at each step", "每一步的损失"),
    "cap_loss_by_step": ("f at each optimizer's point, step by step.", "每一步各优化器所在点的 f 值。"),
    "anim_play": ("Play", "播放"),
    "anim_pause": ("Pause", "暂停"),
    "anim_step": ("step ", "步 "),
    "minimum": ("minimum", "极小值"),
    "start": ("start", "起点"),
    "axis_loss": ("f(x, y)", "f(x, y)"),
    "axis_step": ("step", "步数"),
    "sec_one_step": ("One step up close", "近看一步"),
    "w_walker": ("Optimizer", "优化器"),
    "help_walker": ("Whose step to look at.", "查看哪个优化器的这一步。"),
    "w_step_index": ("Step", "第几步"),
    "help_step_index": ("Which update to look at.", "查看哪一次更新。"),
    "walker_no_steps": ("This optimizer made no step before it diverged.", "该优化器在发散前没有完成任何一步。"),
    "chart_one_step": ("{name}, step {step}", "{name}，第 {step} 步"),
    "axis_log_loss": ("log₁₀ f", "log₁₀ f"),
    "arrow_point": ("the point before the step", "这一步之前的点"),
    "path_diverged": ("diverged at step {step}", "在第 {step} 步发散"),
    "arrow_gradient": ("−η × gradient", "−η × 梯度"),
    "arrow_buffer": ("−η × momentum (running average)", "−η × 动量（滑动平均）"),
    "arrow_update": ("the update taken", "实际更新"),
    "cap_one_step": (
        "Arrows from the point before the step, in the plane's units: the step plain gradient descent would "
        "take (−η × gradient), the same for the optimizer's memory (its momentum or first moment, when it "
        "has one), and the update it actually took.",
        "从这一步之前的点出发的箭头，单位与平面相同：普通梯度下降会走的一步（−η × 梯度）、优化器记忆（动量或一阶矩，若有）"
        "对应的一步，以及它实际走的更新。"),
    "cap_one_step_numbers": ("The update rule, and its numbers at step {step}.", "更新规则，以及第 {step} 步的数值。"),
    "sec_phase": ("Momentum on the ravine: the phase diagram", "峡谷上的动量：相图"),
    "chart_phase": ("Convergence rate of momentum on the ravine (κ = {condition})", "动量法在峡谷上的收敛速率（κ = {condition}）"),
    "axis_lr": ("learning rate η", "学习率 η"),
    "axis_momentum": ("momentum μ", "动量 μ"),
    "axis_rate": ("rate", "速率"),
    "phase_current": ("your choice", "你的选择"),
    "phase_diverges": ("diverges", "发散"),
    "cap_phase": (
        "As in Distill's \"Why Momentum Really Works\": each point is how much the distance to the minimum "
        "shrinks per step (lower is faster; 1 or more never converges), from the eigenvalues of the update "
        "matrix. The marker is the first SGD or momentum optimizer above.",
        "如 `Distill` 的文章 `Why Momentum Really Works`：每个点表示每一步到极小值的距离缩小的比例（越低越快；大于等于 1 "
        "则不收敛），由更新矩阵的特征值算出。标记是上方第一个 SGD 或动量优化器的设置。"),
    "race_intro": (
        "Every contestant starts from the same initial weights and sees the same batches in the same order: "
        "their curves differ only by what the table says. Add or remove rows (2 to 8).",
        "所有参赛者从相同的初始权重出发，以相同的顺序看到相同的批次：它们的曲线只因表格中的设置而不同。可增删行（2 到 8 个）。"),
    "w_units_all": ("Units per layer", "每层单元数"),
    "help_units_all": ("The same number of units in every hidden layer.", "每个隐藏层的单元数相同。"),
    "sec_contestants": ("Contestants", "参赛者"),
    "col_optimizer": ("optimizer", "优化器"),
    "col_lr": ("learning rate", "学习率"),
    "col_hyper": ("hyperparameters", "超参数"),
    "help_race_hyper": ("Overrides of the optimizer's defaults, e.g. momentum=0.95 or beta1=0.8, eps=1e-6.",
                        "覆盖优化器的默认值，例如 `momentum=0.95` 或 `beta1=0.8, eps=1e-6`。"),
    "col_reg": ("regularization", "正则化"),
    "col_reg_rate": ("rate λ", "强度 λ"),
    "help_race_activation": ("\"As the network\" keeps the network's activation.", "“同网络”表示沿用网络的激活函数。"),
    "same_as_network": ("as the network", "同网络"),
    "col_dropout": ("dropout", "丢弃率"),
    "help_race_dropout": ("Empty keeps the network's dropout.", "留空表示沿用网络的丢弃率。"),
    "race_bad_hyper": ("Cannot read \"{part}\": {name} takes {known} (written name=value).",
                       "无法读取“{part}”：{name} 的超参数为 {known}（格式为 名称=数值）。"),
    "race_row_needs_optimizer": ("Row {row} needs an optimizer.", "第 {row} 行需要选择优化器。"),
    "w_race_seeds": ("Seeds", "随机种子数"),
    "help_race_seeds": ("Train each contestant from this many seeds at once: the curves show the mean and a "
                        "min-max band. Contestants × seeds is at most {models}.",
                        "每个参赛者同时用这么多个随机种子训练：曲线显示平均值和最小-最大范围带。参赛者数 × 种子数最多为 {models}。"),
    "race_needs_classification": ("the race's data set must be a classification one, not {dataset}",
                                  "竞赛的数据集必须是分类数据集，而不是 {dataset}"),
    "race_contestants_range": ("A race needs {lo} to {hi} contestants (rows).", "竞赛需要 {lo} 到 {hi} 个参赛者（行）。"),
    "w_target_acc": ("Target test accuracy", "目标测试准确率"),
    "help_target_acc": ("The table says after how many updates each contestant first reached it.",
                        "表格显示每个参赛者第一次达到该准确率所用的更新次数。"),
    "step_label_race": ("Step: 1 epoch = {updates} updates, for each of the {contestants} contestants",
                        "单步：1 轮 = {updates} 次更新，{contestants} 个参赛者各自进行"),
    "w_smoothing": ("Smoothing", "平滑"),
    "help_smoothing": ("Exponential moving average of the curves (0: raw).", "曲线的指数滑动平均（0 表示原始数据）。"),
    "metric_models": ("Models in the race", "参赛模型数"),
    "help_metric_models": ("Contestants × seeds: every one counts against the server's cap.",
                           "参赛者数 × 种子数：每一个都计入服务器的上限。"),
    "help_race_updates": ("Updates made by each contestant (they step in lockstep).", "每个参赛者完成的更新次数（同步进行）。"),
    "chart_race_loss": ("Loss", "损失"),
    "chart_race_accuracy": ("Accuracy", "准确率"),
    "race_band": ("min–max over seeds", "各种子的最小-最大值"),
    "cap_race_loss": ("Train (solid) and test (dotted) loss of each contestant; with several seeds, the mean "
                      "and a min–max band.", "每个参赛者的训练（实线）与测试（虚线）损失；多个种子时显示平均值和最小-最大范围带。"),
    "cap_race_accuracy": ("Train (solid) and test (dotted) accuracy.", "训练（实线）与测试（虚线）准确率。"),
    "col_contestant": ("contestant", "参赛者"),
    "col_train_loss": ("train loss", "训练损失"),
    "col_test_loss": ("test loss", "测试损失"),
    "col_best_acc": ("best test accuracy", "最佳测试准确率"),
    "col_updates_to_target": ("updates to target", "达到目标所需更新数"),
    "col_us_per_update": ("µs per update", "每次更新耗时（微秒）"),
    "col_state": ("state", "状态"),
    "race_running": ("in the race", "比赛中"),
    "race_diverged_at": ("diverged at update {update}: out", "在第 {update} 次更新时发散：已退出"),
    "cap_race_table": ("Means over seeds. Updates to target: the first evaluated epoch at which the mean test "
                       "accuracy reached {target}.", "各种子的平均值。达到目标所需更新数：平均测试准确率首次达到 {target} 的那一轮。"),
    "sec_sweep": ("Learning-rate sweep: where does each optimizer work?", "学习率扫描：每个优化器在哪里有效？"),
    "sweep_intro": (
        "Trains the race's network once per optimizer and learning rate, and plots the training loss after "
        "the chosen number of updates. Runs in the background, one model at a time.",
        "对每个优化器和学习率各训练一次竞赛中的网络，并绘制在选定更新次数之后的训练损失。在后台运行，每次一个模型。"),
    "w_sweep_optimizers": ("Optimizers", "优化器"),
    "help_sweep_optimizers": ("Each with its default hyperparameters.", "各自使用默认超参数。"),
    "w_sweep_range": ("Learning rates", "学习率范围"),
    "help_sweep_range": ("The grid runs from the first to the second on a log scale.", "网格从第一个值到第二个值按对数刻度分布。"),
    "w_sweep_points": ("Grid points", "网格点数"),
    "help_sweep_points": ("Learning rates tried per optimizer.", "每个优化器尝试的学习率个数。"),
    "w_sweep_updates": ("Updates per run", "每次运行的更新数"),
    "help_sweep_updates": ("How long each run trains before its loss is read.", "每次运行训练多久后读取损失。"),
    "help_sweep_seeds": ("Runs per point; the chart shows the median.", "每个点运行的次数；图中显示中位数。"),
    "btn_sweep": ("Run the sweep", "运行扫描"),
    "help_btn_sweep": ("Start the sweep in the background.", "在后台开始扫描。"),
    "btn_cancel": ("Cancel", "取消"),
    "help_btn_cancel": ("Stop the sweep; what has finished stays on the chart.", "停止扫描；已完成的结果保留在图上。"),
    "sweep_status_ready": ("Ready", "就绪"),
    "sweep_status_queued": ("Waiting for a free slot on the server…", "正在等待服务器空闲…"),
    "sweep_status_running": ("Running: {percent}", "运行中：{percent}"),
    "sweep_status_cancelled": ("Cancelled at {percent}", "已在 {percent} 时取消"),
    "sweep_status_done": ("Done", "完成"),
    "sweep_status_failed": ("Failed", "失败"),
    "sweep_failed": ("The sweep stopped: {detail}", "扫描中止：{detail}"),
    "chart_sweep": ("Training loss after {updates} updates", "{updates} 次更新后的训练损失"),
    "axis_final_loss": ("training loss (log scale)", "训练损失（对数刻度）"),
    "axis_final_loss_median": ("training loss, median over seeds (log scale)", "训练损失，各种子中位数（对数刻度）"),
    "sweep_start_loss": ("loss before training", "训练前的损失"),
    "sweep_diverged": ("diverged", "发散"),
    "sweep_best": ("best", "最佳"),
    "cap_sweep": ("Lower is better; above the dashed line, training made the loss worse. An x at the top marks "
                  "a learning rate at which the run diverged; the star marks each optimizer's best.",
                  "越低越好；在虚线之上，训练反而使损失变差。顶部的 x 表示该学习率下训练发散；星号标出每个优化器的最佳学习率。"),
    # gated-layers page
    "page_gated": ("Gated layers", "门控层"),
    "card_gated": (
        "The feedforward block of today's language models against its gated variants (SwiGLU and friends), "
        "and a plain RNN against a GRU and an LSTM: watch the gates open and close while they train.",
        "今天的语言模型中的前馈块与其门控变体（SwiGLU 等）对比，以及普通 RNN 与 GRU、LSTM 对比：观察门在训练中如何开合。"),
    "gl_title": ("Gated layers", "门控层"),
    "gl_intro": (
        "Two races of sequence models, trained live in lockstep from the same batches: feedforward blocks, "
        "plain and gated, at equal parameter counts; and recurrent networks with and without gates.",
        "两场序列模型的竞赛，在相同的批次上同步实时训练：参数量相同的普通与门控前馈块；以及带门与不带门的循环网络。"),
    "tab_ffn": ("Feedforward block", "前馈块"),
    "tab_rnn": ("Recurrent gates", "循环网络的门"),
    "where_ffn": ("the feedforward block race", "前馈块竞赛"),
    "where_rnn": ("the recurrent race", "循环网络竞赛"),
    "gl_ffn_intro": (
        "Each variant maps d → h → d. The plain block computes W₂ f(W₁x); a gated one computes "
        "W₂ (f(W₁x) ⊙ W₃x), with h chosen so that every variant has the same number of parameters. The "
        "sequence is one-hot encoded and flattened into the block.",
        "每个变体都是 d → h → d 的映射。普通块计算 W₂ f(W₁x)；门控块计算 W₂ (f(W₁x) ⊙ W₃x)，并选择 h 使所有变体的参数量相同。"
        "序列经独热编码后展平输入该块。"),
    "gl_rnn_intro": (
        "A plain RNN, a GRU and an LSTM (torch.nn) read the sequence one token at a time and answer at the end. "
        "Gates decide what to keep: watch them, and watch the gradient fade over time steps in the plain RNN.",
        "普通 RNN、GRU 和 LSTM（`torch.nn`）逐个读取序列中的符号，并在结尾作答。门决定保留什么：观察它们，"
        "也观察普通 RNN 中梯度如何随时间步衰减。"),
    "w_task": ("Task", "任务"),
    "help_task": ("A synthetic sequence task; how it is posed is written under it.", "一个合成的序列任务；其设定写在下方。"),
    "task_remember_first": ("Remember the first token", "记住第一个符号"),
    "task_adding": ("Adding problem", "加法问题"),
    "task_parity": ("Parity", "奇偶校验"),
    "task_reverse": ("Reverse", "反转"),
    "task_sort": ("Sort", "排序"),
    "task_copy_offset": ("Copy with an offset", "带偏移复制"),
    "task_find_earlier": ("Find the earlier occurrence", "查找前一次出现"),
    "task_posed_remember_first": ("Input: T tokens. Target: one per sequence, the first token (chance: 1/vocabulary).",
                                  "输入：T 个符号。目标：每个序列一个，即第一个符号（随机猜中率为 1/词表大小）。"),
    "task_posed_adding": ("Input: T pairs (a value in [0, 1], a marker); two are marked. Target: one per sequence, the "
                          "sum of the two marked values (a regression: mean squared error).",
                          "输入：T 对（[0, 1] 中的一个值，一个标记），其中两对被标记。目标：每个序列一个，即两个被标记值之和（回归：均方误差）。"),
    "task_posed_parity": ("Input: T bits. Target: one per sequence, whether the number of ones is odd.",
                          "输入：T 个比特。目标：每个序列一个，即 1 的个数是否为奇数。"),
    "task_posed_reverse": ("Input: T tokens. Target: one per position, the sequence reversed.",
                           "输入：T 个符号。目标：每个位置一个，即反转后的序列。"),
    "task_posed_sort": ("Input: T tokens. Target: one per position, the sequence sorted.",
                        "输入：T 个符号。目标：每个位置一个，即排序后的序列。"),
    "task_posed_copy_offset": ("Input: T tokens. Target: one per position, the token two steps earlier (the first two "
                               "positions are not scored).", "输入：T 个符号。目标：每个位置一个，即两步之前的符号（前两个位置不计分）。"),
    "task_posed_find_earlier": ("Input: T tokens. Target: one per position, where this token last occurred before (or "
                                "\"none\").", "输入：T 个符号。目标：每个位置一个，即该符号上一次出现的位置（或“无”）。"),
    "w_seq_length": ("Sequence length T", "序列长度 T"),
    "help_seq_length": ("Tokens per sequence.", "每个序列的符号数。"),
    "w_vocab": ("Vocabulary", "词表大小"),
    "help_vocab": ("How many different tokens there are (parity uses bits, the adding problem numbers).",
                   "不同符号的个数（奇偶校验使用比特，加法问题使用数值）。"),
    "w_ffn_d": ("Width d", "宽度 d"),
    "help_ffn_d": ("The block's input and output size.", "前馈块的输入和输出维度。"),
    "w_ffn_h": ("Hidden size h (plain)", "隐藏维度 h（普通块）"),
    "help_ffn_h": ("The plain block's hidden size; gated variants get about 2h/3 so that the parameter counts match.",
                   "普通块的隐藏维度；门控变体约为 2h/3，使参数量一致。"),
    "w_residual": ("Residual connection", "残差连接"),
    "help_residual": ("Add the block's input to its output: x + FFN(x).", "将块的输入加到输出上：$x + \\mathrm{FFN}(x)$。"),
    "w_layer_norm": ("Layer norm", "层归一化"),
    "help_layer_norm": ("Normalise the input first (pre-norm): x + FFN(LN(x)).", "先对输入做归一化（前置归一化）：$x + \\mathrm{FFN}(\\mathrm{LN}(x))$。"),
    "w_variants": ("Variants", "变体"),
    "help_variants": ("Which blocks race (2 to 8).", "参加竞赛的块（2 到 8 个）。"),
    "variant_relu": ("ReLU (plain)", "ReLU（普通）"),
    "variant_gelu": ("GELU (plain)", "GELU（普通）"),
    "variant_glu": ("GLU (sigmoid gate)", "GLU（sigmoid 门）"),
    "variant_reglu": ("ReGLU", "ReGLU"),
    "variant_geglu": ("GEGLU", "GEGLU"),
    "variant_swiglu": ("SwiGLU", "SwiGLU"),
    "col_variant": ("variant", "变体"),
    "col_hidden": ("hidden size", "隐藏维度"),
    "col_parameters": ("parameters", "参数量"),
    "cap_param_counts": ("Weights and biases of W₁, W₃ and W₂ (the layer norm's are the same for all).",
                         "W₁、W₃ 和 W₂ 的权重与偏置（层归一化的参数对所有变体相同）。"),
    "sec_variant_formulas": ("The variants' formulas", "各变体的公式"),
    "w_heatmap_of": ("Gates of", "查看谁的门"),
    "help_heatmap_of": ("Whose gate values the heatmap shows.", "热力图显示哪个模型的门值。"),
    "gates_need_training": ("Press Step or Start: the gates are measured as the models train.",
                            "按单步或开始：门值在模型训练时测量。"),
    "near_zero": ("near 0: {share}", "接近 0：{share}"),
    "axis_gate_value": ("gate value", "门值"),
    "axis_hidden_unit": ("hidden unit", "隐藏单元"),
    "axis_probe_example": ("probe example", "探针样本"),
    "axis_time_step": ("time step", "时间步"),
    "axis_seq_length": ("sequence length", "序列长度"),
    "chart_gate_histograms": ("How the gate values are spread", "门值的分布"),
    "chart_gate_histogram_of": ("How the {gate} values are spread", "{gate}值的分布"),
    "cap_gate_histogram": ("Share of a model's gate values in each bin, over the probe examples; the legend gives the "
                           "share with |value| < {tolerance} (a closed gate).",
                           "在探针样本上，每个区间内门值所占的比例；图例给出 |值| < {tolerance}（门关闭）的比例。"),
    "chart_gate_heatmap": ("Gate values of {name}", "{name} 的门值"),
    "cap_gate_heatmap": ("f(W₁x) for the first probe examples (rows) and every hidden unit (columns): blue opens, "
                         "orange flips the sign, white closes.",
                         "前几个探针样本（行）在每个隐藏单元（列）上的 f(W₁x)：蓝色为打开，橙色为反号，白色为关闭。"),
    "w_rnn_hidden": ("Hidden size", "隐藏维度"),
    "help_rnn_hidden": ("Units of the recurrent layer (and of the token embedding).", "循环层（及符号嵌入）的单元数。"),
    "w_cells": ("Networks", "网络"),
    "help_cells": ("Which recurrent networks race (at least 2).", "参加竞赛的循环网络（至少 2 个）。"),
    "cell_rnn": ("Plain RNN", "普通 RNN"),
    "cell_gru": ("GRU", "GRU"),
    "cell_lstm": ("LSTM", "LSTM"),
    "w_gate": ("Gate", "门"),
    "help_gate": ("Which gate the heatmap shows.", "热力图显示哪个门。"),
    "w_example": ("Example", "样本"),
    "help_example": ("Which probe sequence (a test sequence) the heatmap follows.", "热力图跟踪哪个探针序列（测试序列）。"),
    "gate_hidden": ("hidden state", "隐藏状态"),
    "gate_update": ("update gate", "更新门"),
    "gate_reset": ("reset gate", "重置门"),
    "gate_forget": ("forget gate", "遗忘门"),
    "gate_input": ("input gate", "输入门"),
    "gate_output": ("output gate", "输出门"),
    "chart_gate_time": ("{name}: {gate} over time, example {example}", "{name}：{gate}随时间的变化，样本 {example}"),
    "cap_gate_time": ("Each row is a time step (top: the first token), each column a hidden unit. A forget gate near 1 "
                      "keeps the memory; an update gate near 1 keeps the old state.",
                      "每行是一个时间步（最上方是第一个符号），每列是一个隐藏单元。遗忘门接近 1 表示保留记忆；更新门接近 1 表示保留旧状态。"),
    "chart_acc_by_length": ("Accuracy at other sequence lengths", "在其他序列长度上的准确率"),
    "cap_acc_by_length": ("The trained models on fresh test sequences of other lengths (same task and vocabulary).",
                          "已训练模型在其他长度的新测试序列上的表现（相同任务和词表）。"),
    "chart_grad_by_step": ("Gradient reaching each time step", "到达每个时间步的梯度"),
    "cap_grad_by_step": ("‖∂L/∂xₜ‖ for each step's input, on the probe batch (log scale): in a plain RNN it fades "
                         "towards the first steps — the vanishing gradient.",
                         "在探针批次上，每个时间步输入的 ‖∂L/∂xₜ‖（对数刻度）：普通 RNN 中它朝最初几步衰减——即梯度消失。"),
    # errors and the URL
    "error_invalid": ("This setting cannot be used: {detail}", "无法使用此设置：{detail}"),
    "error_unexpected": (
        "Something went wrong in the {where} ({detail}). Your settings are kept; try Reset or another value.",
        "{where} 出现问题（{detail}）。你的设置已保留；请尝试重置或换一个值。"),
    "where_controls": ("controls", "控件"),
    "where_run": ("run panel", "运行面板"),
    "where_live_panel": ("live charts", "实时图表"),
    "where_button": ("button", "按钮"),
    "url_value_ignored": ("A value in the link was ignored: {detail}", "链接中的一个值被忽略：{detail}"),
    # -- uploads (ffnviz/data/upload.py) --
    # Also the names of the new data sets and of the two problems, for the data controls.
    "w_problem": ("Problem", "问题类型"),
    "problem_classification": ("Classification", "分类"),
    "problem_regression": ("Regression", "回归"),
    "ds_moons": ("Two moons", "双月"),
    "ds_blobs": ("Blobs (k clusters)", "团簇（k 个簇）"),
    "ds_plane": ("Plane", "平面"),
    "ds_multigauss": ("Six Gaussian bumps", "六个高斯峰"),
    "ds_upload": ("Your file", "你的文件"),
    "w_upload": ("Data file (CSV: x₁, x₂, label or target)", "数据文件（`CSV`：x₁、x₂、标签或目标值）"),
    "help_upload": (
        "A text file with three columns separated by commas: two numeric features and, for a "
        "classification, a label (at most {max_classes} different values, numbers or words), or, for a "
        "regression, a numeric target. A header row is optional. At most {max_rows} rows and {max_kb} KB.",
        "以逗号分隔三列的文本文件：两列数值特征，以及分类问题的标签（最多 {max_classes} 个不同的值，可以是数字或文字）"
        "或回归问题的数值目标。表头行可有可无。最多 {max_rows} 行、{max_kb} 千字节。"),
    "upload_too_big": ("The file is {size_kb} KB; the most this page reads is {max_kb} KB.",
                       "文件大小为 {size_kb} 千字节；本页最多读取 {max_kb} 千字节。"),
    "upload_empty": ("The file is empty.", "文件是空的。"),
    "upload_not_text": (
        "The file is not CSV text in UTF-8. Save it as CSV (UTF-8) and upload it again.",
        "该文件不是 `UTF-8` 编码的 `CSV` 文本。请将其另存为 `CSV`（`UTF-8`）后重新上传。"),
    "upload_columns": (
        "Row {row} has {found} columns; the file needs exactly 3: two numeric features (x₁, x₂) and a label "
        "or target, with an optional header row.",
        "第 {row} 行有 {found} 列；文件必须恰好有 3 列：两列数值特征（x₁、x₂）和一列标签或目标值，表头行可有可无。"),
    "upload_not_number": ("Row {row}, column {column} ({name}): “{value}” is not a number.",
                          "第 {row} 行第 {column} 列（{name}）：“{value}”不是数字。"),
    "upload_too_many_dropped": (
        "{dropped} of {rows} rows have a missing, NaN or infinite value; at most {max_percent} % may.",
        "{rows} 行中有 {dropped} 行含有缺失值、`NaN` 或无穷大；最多只允许 {max_percent}%。"),
    "upload_too_few_rows": ("Only {rows} usable rows; at least {min} are needed.",
                            "只有 {rows} 行可用；至少需要 {min} 行。"),
    "upload_too_many_rows": ("The file has {rows} data rows; the most is {max}.",
                             "文件有 {rows} 行数据；最多允许 {max} 行。"),
    "upload_one_class": ("Every row has the label “{label}”: a classification needs at least 2 classes.",
                         "每一行的标签都是“{label}”：分类问题至少需要 2 个类别。"),
    "upload_too_many_classes": (
        "The label column has {found} different values; a classification takes at most {max}. "
        "If the third column is a measured value, choose regression.",
        "标签列有 {found} 个不同的值；分类问题最多 {max} 个。如果第三列是测量值，请选择回归。"),
    "upload_constant_target": ("Every row has the target {value}: there is nothing to learn.",
                               "每一行的目标值都是 {value}：没有可学习的内容。"),
    "upload_dropped": ("{dropped} of {rows} rows had a missing, NaN or infinite value and were left out.",
                       "{rows} 行中有 {dropped} 行含有缺失值、`NaN` 或无穷大，已被忽略。"),
    "upload_loaded_classes": ("{rows} points, {classes} classes: {labels}.",
                              "{rows} 个点，{classes} 个类别：{labels}。"),
    "upload_loaded_regression": ("{rows} points; targets from {lo} to {hi}.",
                                 "{rows} 个点；目标值从 {lo} 到 {hi}。"),
    "upload_scaling": (
        "Each feature is scaled into [-5, 5]: x₁′ = (x₁ − {x1_offset}) × {x1_scale}, "
        "x₂′ = (x₂ − {x2_offset}) × {x2_scale}.",
        "每个特征都缩放到 [-5, 5]：x₁′ = (x₁ − {x1_offset}) × {x1_scale}，x₂′ = (x₂ − {x2_offset}) × {x2_scale}。"),
    "upload_target_scaling": ("The target is scaled into [-1, 1]: y′ = (y − {offset}) × {scale}.",
                              "目标值缩放到 [-1, 1]：y′ = (y − {offset}) × {scale}。"),
    "upload_link_needs_file": (
        "This link names an uploaded file ({digest}) that a link cannot carry: upload the file again "
        "to reproduce the run.",
        "此链接指向一个上传的文件（{digest}），链接本身无法携带文件：请重新上传该文件以复现这次运行。"),
    # self-attention page
    "page_attention": ("Self-attention", "自注意力"),
    "card_attention": (
        "A tiny Transformer learns to reverse, sort or copy a sequence while you watch: each head's attention "
        "map forms live, step by step from Q and K to the softmax.",
        "一个小型 Transformer 在你眼前学习反转、排序或复制序列：每个注意力头的注意力图实时形成，"
        "从 Q、K 一步步算到 softmax。"),
    "at_title": ("Self-attention: watch the maps form", "自注意力：看注意力图如何形成"),
    "at_intro": (
        "A small Transformer encoder labels every position of a token sequence. Press **Start** and watch each "
        "head learn where to look: for *reverse* an anti-diagonal, for *copy with an offset* a shifted diagonal, "
        "for *sort* a permutation. Tokens are letters (A, B, …); positions are numbers.",
        "一个小型 Transformer 编码器为符号序列的每个位置给出标签。按 **开始**，观察每个注意力头学会该看哪里："
        "*反转* 形成反对角线，*带偏移的复制* 形成平移的对角线，*排序* 形成一个置换。符号用字母（A、B、…）表示，位置用数字表示。"),
    "sec_task": ("Task", "任务"),
    "sec_model": ("Model", "模型"),
    "sec_attention_maps": ("Attention maps", "注意力图"),
    "attn_posed_copy_offset": (
        "Input: T tokens. Target: one per position, the token {offset} steps earlier (the first {offset} "
        "positions are not scored).",
        "输入：T 个符号。目标：每个位置一个，即 {offset} 步之前的符号（前 {offset} 个位置不计分）。"),
    "w_offset": ("Offset (steps)", "偏移（步）"),
    "help_offset": ("How many steps back each position copies from.", "每个位置从多少步之前复制符号。"),
    "w_attn_layers": ("Layers", "层数"),
    "help_attn_layers": ("Encoder layers, each self-attention followed by a feedforward block.",
                         "编码器层数；每层是自注意力加一个前馈块。"),
    "w_heads": ("Heads per layer", "每层的头数"),
    "help_heads": ("Attention heads in each layer; each head has its own Q, K, V of size `d_model` / heads.",
                   "每层的注意力头数；每个头有自己的 Q、K、V，大小为 `d_model` / 头数。"),
    "w_d_model": ("Width `d_model`", "宽度 `d_model`"),
    "help_d_model": ("The model's width: every token is a vector of this many numbers. Only widths that split "
                     "evenly over the heads are offered.",
                     "模型宽度：每个符号是一个这么多维的向量。只提供能被头数整除的宽度。"),
    "w_positional": ("Positional encoding", "位置编码"),
    "help_positional": (
        "How the model knows where a token is. Without it every position looks alike, so a task that depends "
        "on positions (reverse) cannot be learned.",
        "模型如何知道符号的位置。没有位置编码时每个位置看起来都一样，依赖位置的任务（如反转）就无法学会。"),
    "positional_learned": ("learned", "可学习"),
    "positional_sinusoidal": ("sinusoidal (fixed)", "正弦（固定）"),
    "positional_none": ("none", "无"),
    "w_ffn_variant": ("Feedforward block", "前馈块"),
    "help_ffn_variant": ("The block after each attention, 4·`d_model` wide (a gated one at the same parameter count), "
                         "as on the gated-layers page.",
                         "每个注意力之后的前馈块，宽 4·`d_model`（门控变体取相同参数量），与“门控层”页面相同。"),
    "w_attention_impl": ("Attention code", "注意力的实现"),
    "help_attention_impl": (
        "ffnviz's own few lines (softmax(QKᵀ/√d_k)·V written out) or PyTorch's `nn.MultiheadAttention`; both "
        "start from the same weights and compute the same numbers.",
        "ffnviz 自己的几行代码（直接写出 softmax(QKᵀ/√d_k)·V）或 `PyTorch` 的 `nn.MultiheadAttention`；"
        "两者从相同的权重出发，计算结果相同。"),
    "attn_impl_own": ("ffnviz's own", "ffnviz 自己的实现"),
    "attn_impl_torch": ("torch MultiheadAttention", "torch 的 MultiheadAttention"),
    "w_causal": ("Causal mask", "因果掩码"),
    "help_causal": ("A position may attend only to itself and earlier positions, as in a decoder (GPT).",
                    "每个位置只能关注自己和之前的位置，就像解码器（GPT）那样。"),
    "attn_parameters": ("Parameters: {count}.", "参数量：{count}。"),
    "attn_link_not_usable": ("the link describes a model this page cannot show; the default lesson is loaded",
                             "链接描述的模型无法在本页显示；已载入默认课程"),
    "attn_model": ("Transformer", "Transformer"),
    "attn_caveat": (
        "**Attention weights are not explanations.** A map shows where a head reads from, not why the model "
        "answers as it does: the values it reads, the other heads, the feedforward blocks and the residual "
        "stream all shape the answer, and different weights can give the same predictions.",
        "**注意力权重不是解释。** 注意力图显示一个头从哪里读取信息，而不是模型为什么这样回答："
        "它读取的值、其他头、前馈块和残差流都会影响答案，而且不同的权重也可能给出相同的预测。"),
    "w_example_tokens": ("Example (tokens)", "示例（符号）"),
    "help_example_tokens": ("The sequence whose attention is shown: {length} letters A..{last} (or numbers), "
                            "separated by spaces. Press Enter to apply.",
                            "显示其注意力的序列：{length} 个字母 A..{last}（或数字），用空格分隔。按回车应用。"),
    "attn_bad_example": ("“{text}” is not an example for this task: type {length} letters from A to {last}, "
                         "separated by spaces. The previous example is kept.",
                         "“{text}” 不是这个任务的示例：请输入 {length} 个 A 到 {last} 之间的字母，用空格分隔。"
                         "已保留之前的示例。"),
    "btn_random_example": ("Another", "换一个"),
    "help_random_example": ("Show a random test sequence.", "显示一个随机的测试序列。"),
    "w_pick_layer": ("Layer", "层"),
    "help_pick_layer": ("The layer whose head is enlarged and computed step by step below.",
                        "下方放大显示并逐步计算的头所在的层。"),
    "w_pick_head": ("Head", "头"),
    "help_pick_head": ("The head enlarged and computed step by step below (framed in the grid).",
                       "下方放大显示并逐步计算的头（在网格中加框）。"),
    "attn_no_pictures": ("The model has left the race (its loss is not a number): press Reset.",
                         "模型已退出（损失不是数值）：请按“重置”。"),
    "row_input": ("input", "输入"),
    "row_target": ("target", "目标"),
    "row_output": ("model's answer", "模型的回答"),
    "row_confidence": ("its probability", "其概率"),
    "none_found": ("none", "无"),
    "cap_example_table": ("Positions 1..T across. The model answers {wrong} of {counted} scored positions wrongly "
                          "(red).",
                          "横向为位置 1..T。在 {counted} 个计分位置中，模型答错了 {wrong} 个（红色）。"),
    "axis_query": ("query", "查询"),
    "axis_key": ("key", "键"),
    "axis_position": ("position", "位置"),
    "axis_attention_weight": ("weight", "权重"),
    "axis_entropy": ("entropy (nats)", "熵（奈特）"),
    "axis_updates": ("updates", "更新次数"),
    "chart_model_view": ("Every head: where each query position looks", "所有头：每个查询位置看向哪里"),
    "cell_layer_head": ("layer {layer} · head {head}", "第 {layer} 层 · 第 {head} 个头"),
    "cap_model_view": (
        "Rows: the query, the position that looks; columns: the keys it looks at; each row sums to 1. "
        "Tokens on the axes, top row first. The framed map is enlarged below.",
        "行：查询，即“看”的位置；列：它看向的键；每行之和为 1。坐标轴上是符号，最上面一行是第一个位置。"
        "加框的图在下方放大显示。"),
    "chart_one_head": ("Layer {layer}, head {head}, and the task's ideal pattern",
                       "第 {layer} 层第 {head} 个头，以及任务的理想模式"),
    "panel_learned": ("learned", "学到的"),
    "panel_ideal": ("ideal", "理想的"),
    "cap_one_head_reverse": (
        "Ideal: position t reads the token at T + 1 − t, an anti-diagonal. One head of one layer often does it "
        "alone; with more layers the work may be split.",
        "理想情况：位置 t 读取位置 T + 1 − t 的符号，形成反对角线。常常是某一层的某一个头独自完成；层数多时工作可能被分摊。"),
    "cap_one_head_sort": (
        "Ideal: position t reads a position holding the t-th smallest token (where tokens repeat, any of them). "
        "Sorting needs comparisons too, so heads rarely match it exactly.",
        "理想情况：位置 t 读取一个持有第 t 小符号的位置（符号重复时任一个都可以）。排序还需要比较，所以头很少完全吻合。"),
    "cap_one_head_copy_offset": (
        "Ideal: position t reads position t − offset, a diagonal shifted down; the first rows have no target.",
        "理想情况：位置 t 读取位置 t − 偏移，形成向下平移的对角线；最前面几行没有目标。"),
    "cap_one_head_find_earlier": (
        "Ideal: position t reads the earlier position holding the same token; a row is empty when the token "
        "is new.",
        "理想情况：位置 t 读取之前持有相同符号的位置；符号第一次出现时该行为空。"),
    "chart_steps": ("How layer {layer}, head {head} computes its attention", "第 {layer} 层第 {head} 个头如何计算注意力"),
    "step_q": ("1. queries Q = x W_Q", "1. 查询 Q = x W_Q"),
    "step_k": ("2. keys K = x W_K", "2. 键 K = x W_K"),
    "step_scores": ("3. scores QKᵀ/√d_k", "3. 分数 QKᵀ/√d_k"),
    "step_mask": ("4. mask (grey: hidden)", "4. 掩码（灰色：不可见）"),
    "step_weights": ("5. softmax(scores + mask)", "5. softmax(分数 + 掩码)"),
    "step_v": ("6. values V = x W_V", "6. 值 V = x W_V"),
    "step_heads_out": ("7. output softmax · V", "7. 输出 softmax · V"),
    "cap_steps": (
        "The head's computation on the example, left to right: x is the layer's normalised input; Q, K and V have "
        "one row per position and `d_k` = `d_model` / heads columns. A score is a query row's dot product with a key "
        "row, divided by √d_k; the mask hides the future when the causal switch is on; the softmax turns each "
        "row into weights that sum to 1; the output row is the weighted sum of the value rows.",
        "该头在示例上的计算，从左到右：x 是该层归一化后的输入；Q、K、V 每个位置一行，共 `d_k` = `d_model` / 头数 列。"
        "分数是查询行与键行的点积除以 √d_k；打开因果开关时，掩码遮住未来的位置；softmax 把每一行变成和为 1 的权重；"
        "输出行是值行的加权和。"),
    "chart_entropy": ("Attention entropy per head", "每个头的注意力熵"),
    "entropy_even": ("spread evenly (log T)", "均匀分布（log T）"),
    "cap_entropy": (
        "The mean over probe sequences and query positions of −Σ w log w: log T when a head spreads its "
        "attention evenly, 0 when it looks at one key. Watch when each head becomes sharp.",
        "在探针序列和各查询位置上取平均的 −Σ w log w：头均匀分配注意力时为 log T，只看一个键时为 0。"
        "观察每个头何时变得尖锐。"),
    "chart_position_accuracy": ("Test accuracy at each position", "每个位置的测试准确率"),
    "cap_position_accuracy": (
        "Over the whole test set. With the causal mask, a position can only use tokens at or before it.",
        "在整个测试集上统计。打开因果掩码时，每个位置只能使用它自己及之前的符号。"),
    "lesson_attn_reverse": ("Reverse: the anti-diagonal forms", "反转：反对角线的形成"),
    "lesson_attn_reverse_watch": (
        "Press Start: within a few hundred updates one head's map turns into an anti-diagonal (each position "
        "reads its mirror), its entropy drops, and the accuracy climbs past 95 %.",
        "按“开始”：几百次更新之内，某个头的注意力图变成反对角线（每个位置读取它的镜像位置），它的熵下降，准确率升到 95% 以上。"),
    "lesson_attn_no_positions": ("No positional encoding", "没有位置编码"),
    "lesson_attn_no_positions_watch": (
        "Without positions every position looks alike, so no map can point at the mirror position: reverse "
        "cannot be learned. The accuracy stays flat near 30 % (a guess from which tokens occur) and the test "
        "loss even rises. Switch the encoding back to see the difference.",
        "没有位置编码时每个位置看起来都一样，注意力图无法指向镜像位置：反转无法学会。准确率停在 30% 左右"
        "（只能根据出现了哪些符号来猜），测试损失甚至上升。把位置编码切换回来对比一下。"),
    "lesson_attn_causal": ("Causal mask: what a decoder may not see", "因果掩码：解码器看不到什么"),
    "lesson_attn_causal_watch": (
        "With the causal mask a position sees only itself and earlier ones: the maps are empty above the diagonal. "
        "For reverse, the first half of the positions would need the future, so they stay at chance while the "
        "second half is learned (accuracy at each position). Switch the task to copy with an offset: it still works.",
        "打开因果掩码后，每个位置只能看到自己和之前的位置：注意力图在对角线上方为空。对反转任务，前一半位置需要看未来，"
        "因此停在随机水平，而后一半能学会（见每个位置的准确率）。把任务换成带偏移的复制：它依然可以学会。"),
    # text-classification page
    "page_text": ("Text classification", "文本分类"),
    "card_text": (
        "The book chapter's feedforward text classifier, made runnable: train it live on English or Chinese "
        "sentences (or your CSV), beside a logistic-regression baseline, and see which words move it.",
        "把书中那一章的前馈文本分类器变成能运行的代码：在英文或中文句子（或你的 CSV）上实时训练，"
        "与逻辑回归基线对比，看看哪些词在推动它。"),
    "tx_title": ("Text classification: the chapter's classifier, for real", "文本分类：把那一章的分类器真正跑起来"),
    "tx_intro": (
        "Each sentence becomes a vector of word counts or TF-IDF weights x; the network computes "
        "log p = log softmax(W₂ ReLU(W₁x + b₁) + b₂) and learns W by the gradient of the negative log-likelihood "
        "(Adam, batch 32, as in the chapter). A logistic regression on the same features runs beside it, so you "
        "see what the hidden layer adds, or does not.",
        "每个句子变成一个词频或 TF-IDF 权重向量 x；网络计算 log p = log softmax(W₂ ReLU(W₁x + b₁) + b₂)，"
        "并用负对数似然的梯度学习 W（与书中一样使用 Adam、批大小 32）。同样特征上的逻辑回归在旁边对照，"
        "让你看到隐藏层带来了什么，或者没有带来什么。"),
    "w_text_source": ("Texts", "文本"),
    "help_text_source": ("The shipped corpus (1,200 hand-written sentences in each language, see sample_data/text) or "
                         "your own CSV file.",
                         "自带的语料（每种语言 1200 个手写句子，见 `sample_data/text`）或你自己的 CSV 文件。"),
    "text_source_corpus_en": ("English sentences", "英文句子"),
    "text_source_corpus_zh": ("Chinese sentences", "中文句子"),
    "text_source_upload": ("My CSV file", "我的 CSV 文件"),
    "w_text_label": ("Predict", "预测"),
    "help_text_label": ("Which label of the corpus the model learns: the sentiment (positive, negative, neutral) or "
                        "the topic (food, travel, tech, sport, finance). An uploaded file brings its own.",
                        "模型学习语料中的哪种标签：情感（正面、负面、中性）或主题（美食、旅行、科技、体育、财经）。"
                        "上传的文件自带标签。"),
    "text_label_sentiment": ("sentiment", "情感"),
    "text_label_topic": ("topic", "主题"),
    "w_tokens": ("Tokens", "切分单位"),
    "help_tokens": ("How a text is cut into tokens: English into words (\"n't\" kept apart, so a negation is a token); "
                    "Chinese into characters or pairs of neighbouring characters (bigrams).",
                    "文本如何切成符号：英文按词（\"n't\" 单独保留，否定成为一个符号）；中文按单字或相邻两字（二元组）。"),
    "tokens_words": ("words", "词"),
    "tokens_chars": ("characters", "单字"),
    "tokens_bigrams": ("character bigrams", "二元字组"),
    "w_features_text": ("Features", "特征"),
    "help_features_text": ("Counts: how often each vocabulary token occurs. TF-IDF: counts weighted down for tokens "
                           "that occur in many texts, each text's vector scaled to length 1 (scikit-learn).",
                           "计数：每个词表符号出现的次数。TF-IDF：在很多文本中出现的符号权重降低，"
                           "每个文本的向量缩放到长度 1（`scikit-learn`）。"),
    "text_features_counts": ("bag of words (counts)", "词袋（计数）"),
    "text_features_tfidf": ("TF-IDF", "TF-IDF"),
    "w_vocabulary": ("Vocabulary (tokens)", "词表大小（符号数）"),
    "help_vocabulary": ("The most frequent training tokens kept; the rest are ignored. The input layer has one weight "
                        "column per token.",
                        "保留训练集中最常见的这些符号，其余忽略。输入层每个符号对应一列权重。"),
    "w_test_share": ("Test share", "测试集比例"),
    "help_test_share": ("The share of the texts held out for testing, stratified by the label (same classes in the "
                        "same proportions on both sides).",
                        "留作测试的文本比例，按标签分层（两边各类别的比例相同）。"),
    "w_text_language": ("Language of the file", "文件的语言"),
    "help_text_language": ("Picks how the texts are cut into tokens.", "决定文本如何切分成符号。"),
    "lang_en": ("English", "英文"),
    "lang_zh": ("Chinese", "中文"),
    "w_text_upload": ("CSV file: a text column and a label column", "CSV 文件：一列文本，一列标签"),
    "help_text_upload": (
        "UTF-8 CSV with a header; the columns named text and label (or the only two columns). At most 1 MB, "
        "20 to 5,000 rows, 2 to 10 classes with at least 2 texts each.",
        "带表头的 UTF-8 编码 CSV；列名为 `text` 和 `label`（或者只有两列）。最大 1 MB，20 到 5000 行，"
        "2 到 10 个类别，每类至少 2 条文本。"),
    "btn_example_file": ("Example file", "示例文件"),
    "help_text_example_file": ("Load a small example CSV (60 English sentences labelled by topic) as if uploaded.",
                          "载入一个小的示例 CSV（60 个按主题标注的英文句子），就像上传的一样。"),
    "text_upload_waiting": ("Choose a CSV file (or the example file): until then the shipped sentences are used.",
                            "请选择一个 `CSV` 文件（或示例文件）：在此之前使用自带的句子。"),
    "text_upload_loaded": ("{rows} texts, {classes} classes: {counts}. Rows left out for an empty text or label: {dropped}.",
                           "{rows} 条文本，{classes} 个类别：{counts}。因文本或标签为空而略去的行：{dropped}。"),
    "text_upload_not_utf8": (
        "The file is not UTF-8 text. Save it as “CSV UTF-8” (Excel: File › Save As › CSV UTF-8; other programs: "
        "choose the encoding UTF-8) and upload it again.",
        "文件不是 UTF-8 编码的文本。请另存为“CSV UTF-8”（Excel：文件 › 另存为 › CSV UTF-8；其他程序：选择 UTF-8 编码）后重新上传。"),
    "text_upload_not_csv": ("The file could not be read as CSV (a quote is not closed?).", "无法按 CSV 读取该文件（是否有未闭合的引号？）。"),
    "text_upload_columns": (
        "The file needs a column of texts and a column of labels, named text and label in the header (or only "
        "these two columns). Found: {found}.",
        "文件需要一列文本和一列标签，表头中分别命名为 text 和 label（或者只有这两列）。找到的列：{found}。"),
    "text_upload_no_texts": ("Every row's text (column “{column}”) or label is empty.", "每一行的文本（“{column}”列）或标签都是空的。"),
    "text_upload_too_many_classes": ("The label column has {found} different values; this page takes at most {max}.",
                                     "标签列有 {found} 个不同的值；本页最多支持 {max} 个。"),
    "text_upload_rare_class": ("These labels occur only once: {labels}. Each class needs at least 2 texts, one for "
                               "training and one for testing.",
                               "这些标签只出现了一次：{labels}。每个类别至少需要 2 条文本，一条训练，一条测试。"),
    "text_data_summary": ("{train} training and {test} test texts, {words} tokens in the vocabulary; classes: {classes}.",
                          "{train} 条训练文本和 {test} 条测试文本，词表中有 {words} 个符号；类别：{classes}。"),
    "w_text_model": ("Model", "模型"),
    "help_text_model": (
        "The chapter's feedforward classifier on the feature vector, or an embedding of each token pooled by "
        "attention (its per-token weights are shown for a sentence you type).",
        "书中那一章的前馈分类器（输入特征向量），或者把每个符号的嵌入用注意力汇总的模型（你输入句子时会显示每个符号的权重）。"),
    "text_model_ffn": ("feedforward (the chapter's)", "前馈（书中的）"),
    "text_model_attention": ("embeddings + attention pooling", "嵌入 + 注意力汇总"),
    "w_text_hidden": ("Hidden units", "隐藏单元"),
    "help_text_hidden": ("Units of the hidden layer between the features and the classes.", "特征与类别之间隐藏层的单元数。"),
    "w_text_embed": ("Embedding size", "嵌入维度"),
    "help_text_embed": ("Numbers per token in the attention model.", "注意力模型中每个符号的向量维度。"),
    "w_epochs": ("Epochs", "轮数"),
    "help_epochs": ("Passes over the training texts; training stops after them (Start again to go on).",
                    "遍历训练文本的次数；训练在此后停止（再按开始可以继续）。"),
    "metric_net_test_acc": ("Network: test accuracy", "网络：测试准确率"),
    "help_metric_net_test_acc": ("The share of test texts the network classifies right, now.", "网络当前分对的测试文本比例。"),
    "metric_baseline_acc": ("Logistic regression: test accuracy", "逻辑回归：测试准确率"),
    "help_metric_baseline_acc": ("TF-IDF (or counts) + logistic regression (scikit-learn) on the same split and features.",
                                 "在相同划分和特征上的 TF-IDF（或计数）+ 逻辑回归（`scikit-learn`）。"),
    "metric_negation_acc": ("Network: negation subset ({n})", "网络：否定子集（{n} 条）"),
    "metric_negation_baseline": ("Logistic regression: negation subset", "逻辑回归：否定子集"),
    "help_metric_negation_acc": ("Accuracy on the test sentences whose sentiment hinges on a negation (“not bad at all”, "
                                 "“不太好”), marked in the corpus.",
                                 "在语料中标注的、情感取决于否定的测试句子（`not bad at all`、“不太好”）上的准确率。"),
    "sec_text_results": ("What the model learned", "模型学到了什么"),
    "w_sentence": ("Try a sentence", "试一个句子"),
    "help_sentence": ("Type a sentence and press Enter: both models classify it; the attention model also shades each "
                      "token by its weight.",
                      "输入一个句子后按回车：两个模型都会给出分类；注意力模型还会按权重给每个符号着色。"),
    "placeholder_sentence_en": ("e.g. The soup was not bad at all", "例如 The soup was not bad at all"),
    "placeholder_sentence_zh": ("e.g. 这家店的菜不太好吃", "例如 这家店的菜不太好吃"),
    "w_word_class": ("Words for class", "查看类别的词"),
    "help_word_class": ("The class whose most telling words are drawn below.", "下方显示哪个类别最有代表性的词。"),
    "text_no_pictures": ("The model has left the race (its loss is not a number): press Reset.",
                         "模型已退出（损失不是数值）：请按“重置”。"),
    "baseline_name": ("logistic regression", "逻辑回归"),
    "col_model": ("model", "模型"),
    "col_class": ("class", "类别"),
    "col_precision": ("precision", "精确率"),
    "col_recall": ("recall", "召回率"),
    "col_f1": ("F1", "F1"),
    "col_support": ("test texts", "测试文本数"),
    "cap_text_report": ("On the test set (scikit-learn): precision = right among those predicted as the class; recall = "
                        "found among those of the class; F1 their harmonic mean.",
                        "在测试集上计算（`scikit-learn`）：精确率 = 预测为该类中正确的比例；召回率 = 该类中被找出的比例；F1 为二者的调和平均。"),
    "chart_text_confusion": ("Confusion matrix (network)", "混淆矩阵（网络）"),
    "axis_count": ("texts", "文本数"),
    "cap_text_confusion": ("Counts of test texts; the colour is the share of the row, so the diagonal is each class's recall.",
                      "测试文本的数量；颜色表示占该行的比例，所以对角线就是各类的召回率。"),
    "chart_word_effects": ("Words that move “{name}” (network)", "推动“{name}”的词（网络）"),
    "axis_word_effect_attention": ("change of log p(class)", "log p(类别) 的变化"),
    "axis_word_effect_ffn": ("mean ∂ log p(class) / ∂ feature", "平均 ∂ log p(类别) / ∂ 特征"),
    "cap_word_effects_ffn": (
        "For each of the 2,000 most frequent training tokens: the gradient of the class's log-probability with "
        "respect to that token's feature, averaged over the training texts — for a linear model, exactly its "
        "weight. Blue pushes the class up, orange down.",
        "对训练集中最常见的 2000 个符号：该类别的对数概率对这个符号特征的梯度，在训练文本上取平均——对线性模型来说，"
        "正好就是它的权重。蓝色推高该类别，橙色压低。"),
    "cap_word_effects_attention": (
        "For each of the 2,000 most frequent training tokens: the class's log-probability for a text of that token "
        "alone, against an empty text. Blue pushes the class up, orange down.",
        "对训练集中最常见的 2000 个符号：只含该符号的文本相对空文本，该类别对数概率的变化。蓝色推高该类别，橙色压低。"),
    "chart_baseline_weights": ("Words that move “{name}” (logistic regression)", "推动“{name}”的词（逻辑回归）"),
    "axis_lr_weight": ("weight", "权重"),
    "cap_baseline_weights": ("The logistic regression's weight of each token for the class: what a linear model reads.",
                             "逻辑回归对该类别的每个符号的权重：线性模型读到的东西。"),
    "sec_misclassified": ("Test texts the network gets wrong", "网络分错的测试文本"),
    "col_text": ("text", "文本"),
    "col_true": ("true", "真实"),
    "col_predicted": ("predicted", "预测"),
    "col_confidence": ("its probability", "其概率"),
    "cap_misclassified": ("The first {shown} in test-set order, of {total} test texts.",
                          "按测试集顺序列出的前 {shown} 条，共 {total} 条测试文本。"),
    "chart_sentence_probs": ("Your sentence", "你的句子"),
    "axis_probability": ("probability", "概率"),
    "cap_sentence_probs": ("Each model's probability for each class.", "每个模型对每个类别给出的概率。"),
    "chart_token_weights": ("Where the attention model looked", "注意力模型看向哪里"),
    "token_unknown": ("not in the vocabulary", "不在词表中"),
    "cap_token_weights": ("Each token's share of the pooled vector; “?” marks a token the vocabulary does not have.",
                          "每个符号在汇总向量中所占的份额；“?” 表示词表中没有的符号。"),
    "sentence_no_known_words": ("None of these tokens is in the vocabulary: the models see an empty text.",
                                "这些符号都不在词表中：模型看到的是一个空文本。"),
    "text_class_positive": ("positive", "正面"),
    "text_class_negative": ("negative", "负面"),
    "text_class_neutral": ("neutral", "中性"),
    "text_class_food": ("food", "美食"),
    "text_class_travel": ("travel", "旅行"),
    "text_class_tech": ("tech", "科技"),
    "text_class_sport": ("sport", "体育"),
    "text_class_finance": ("finance", "财经"),
    "sec_chapter": ("From the chapter: the formulas, and where the chapter differs",
                    "来自那一章：公式，以及书中的不同之处"),
    "chapter_intro": (
        "The chapter ends with a PyTorch feedforward text classifier (Linear → ReLU → Linear → LogSoftmax, NLLLoss, "
        "Adam, batch 32). This page is that classifier, runnable. The formulas in their correct form: a layer, the "
        "gradient step, the L2-regularized loss, and the classifier itself.",
        "那一章最后给出了一个 PyTorch 前馈文本分类器（Linear → ReLU → Linear → LogSoftmax，NLLLoss，Adam，批大小 32）。"
        "本页就是这个分类器的可运行版本。下面是正确形式的公式：一层、梯度步、L2 正则化的损失，以及分类器本身。"),
    "chapter_differences": (
        "Where the chapter differs:\n\n"
        "- It writes the layer as *x* = f(Wx + b); the output is a new vector, *y* = f(Wx + b).\n"
        "- Its update rule multiplies by ∂y/∂x; gradient descent uses the gradient of the loss with respect to the "
        "weights, W ← W − η ∂L/∂W.\n"
        "- It credits the 2010 paper on initialisation to Hinton; it is by Glorot and Bengio (“Understanding the "
        "difficulty of training deep feedforward neural networks”).\n"
        "- Its code cannot run as printed: `texts, labels = ...` is a placeholder, and raw strings are fed to a "
        "Linear layer, which needs numbers — here a vectorizer turns texts into counts or TF-IDF vectors first.\n"
        "- Its 92 % accuracy is a hypothetical run on CoNLL-2003, which is a named-entity recognition corpus (a label "
        "per word), not a text-classification one.",
        "书中的不同之处：\n\n"
        "- 书中把这一层写成 *x* = f(Wx + b)；输出是一个新的向量，应为 *y* = f(Wx + b)。\n"
        "- 书中的更新规则乘以 ∂y/∂x；梯度下降使用的是损失对权重的梯度，W ← W − η ∂L/∂W。\n"
        "- 书中把 2010 年那篇关于初始化的论文归于 Hinton；其作者是 Glorot 和 Bengio"
        "（`Understanding the difficulty of training deep feedforward neural networks`）。\n"
        "- 书中的代码不能照原样运行：`texts, labels = ...` 只是占位符，而且把原始字符串直接送进 Linear 层，"
        "可该层需要数字——本页先用向量化器把文本变成计数或 TF-IDF 向量。\n"
        "- 书中 92% 的准确率是在 CoNLL-2003 上的假想结果，而 CoNLL-2003 是命名实体识别语料（每个词一个标签），"
        "不是文本分类语料。"),
    "chapter_measured": (
        "What we measured instead of its 92 % (docs/PERFORMANCE.md; this page's defaults, 20 epochs, median of 5 "
        "seeded splits, 300 test sentences each): English sentiment 0.84 for the chapter's feedforward classifier "
        "against 0.85 for the logistic regression on the same TF-IDF features; Chinese sentiment (characters) 0.85 "
        "against 0.85; topics 0.78 / 0.73 (English) and 0.87 / 0.87 (Chinese). On this small corpus the hidden "
        "layer adds little over a linear model, and on the negation subset both fall to about 0.55–0.6. The run "
        "you just trained is in the numbers above.",
        "我们实际测得的结果，而不是书中的 92%（见 `docs/PERFORMANCE.md`；本页默认设置，20 轮，5 次带种子的划分的中位数，"
        "每次 300 个测试句子）：英文情感，书中的前馈分类器 0.84，同样 TF-IDF 特征上的逻辑回归 0.85；中文情感（单字）0.85 对 0.85；"
        "主题 0.78 / 0.73（英文）和 0.87 / 0.87（中文）。在这个小语料上，隐藏层比线性模型多带来的很少；在否定子集上两者都降到约 "
        "0.55–0.6。你刚训练的这次运行的数字见上方。"),
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
        "卷积层让小的卷积核在图像上滑动；每个卷积核生成一张特征图，在它的图案出现的地方变亮。选择图像和各层，"
        "检查形状，按 **开始**，观察网络学习时卷积核和特征图的变化。打开 MLP 基线，让一个大小相近的普通网络在同样的批次上一起比赛。"),
    "sec_images": ("Images", "图像"),
    "sec_conv_layers": ("Layers", "层"),
    "sec_shapes": ("Shapes before training: the shape calculator", "训练前的形状：形状计算器"),
    "sec_inside_cnn": ("Inside the CNN (1 refresh/s)", "CNN 内部（每秒刷新 1 次）"),
    "sec_mistakes": ("Where it goes wrong", "它错在哪里"),
    "sec_explainer": ("One convolution, taken apart", "拆开一次卷积"),
    "w_images": ("Image set", "图像集"),
    "help_images": ("Digits: scikit-learn's 1,797 handwritten digits, 8×8 pixels. Shapes: lines, crosses, squares "
                    "and circles drawn for this app at random places and sizes, with noise.",
                    "手写数字：`scikit-learn` 自带的 1,797 张 8×8 像素手写数字。图形：本应用生成的横线、竖线、十字、正方形和圆，"
                    "位置和大小随机，并带有噪声。"),
    "images_digits": ("Handwritten digits (8×8)", "手写数字（8×8）"),
    "images_shapes": ("Shapes", "图形"),
    "images_posed_digits": ("10 classes (0–9); every digit fills its 8×8 image, so the shapes-only settings are off.",
                            "10 个类别（0–9）；每个数字都占满 8×8 的图像，因此只适用于图形的设置不可用。"),
    "images_posed_shapes": ("5 classes: horizontal line, vertical line, cross, square, circle (chance: 20 %).",
                            "5 个类别：横线、竖线、十字、正方形、圆（随机猜测：20%）。"),
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
    "help_split": ("Shapes only. Anywhere: training and test shapes lie anywhere. Halves: every training shape lies in "
                   "the left half and every test shape in the right half, places the network never saw.",
                   "仅用于图形。任意位置：训练和测试图形可以出现在任何地方。左右两半：所有训练图形都在左半边，所有测试图形都在右半边，"
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
    "w_head": ("Head (before the classifier)", "头部（分类器之前）"),
    "help_head": ("How the last feature maps reach the linear classifier. Flatten: every position of every map gets "
                  "its own weight. Global max / average: each map is first pooled to one number, so the answer does "
                  "not depend on where a pattern lies.",
                  "最后的特征图如何进入线性分类器。展平：每张图的每个位置都有自己的权重。全局最大 / 平均池化：先把每张图池化成一个数，"
                  "因此答案与图案出现的位置无关。"),
    "head_flatten": ("Flatten", "展平"),
    "head_global_max": ("Global max pooling", "全局最大池化"),
    "head_global_avg": ("Global average pooling", "全局平均池化"),
    "w_baseline": ("MLP baseline", "MLP 基线"),
    "help_baseline": ("Also train a one-hidden-layer MLP on the raw pixels with about the same number of parameters, "
                      "on the same batches in lockstep. Switching it on or off starts both over.",
                      "同时训练一个以原始像素为输入、只有一个隐藏层、参数量与 CNN 相近的 MLP，与 CNN 同步使用相同的批次。"
                      "打开或关闭它会让两者都从头开始。"),
    "w_channels": ("Out channels", "输出通道数"),
    "help_channels": ("How many kernels this layer has: each makes one feature map.", "这一层有多少个卷积核：每个生成一张特征图。"),
    "w_kernel": ("Kernel (pixels)", "卷积核（像素）"),
    "help_kernel": ("The side k of each square k×k kernel.", "每个 k×k 方形卷积核的边长 k。"),
    "w_stride": ("Stride (pixels)", "步幅（像素）"),
    "help_stride": ("How far the kernel moves between two outputs: 2 halves the map's size.",
                    "卷积核在两个输出之间移动的距离：2 会让特征图尺寸减半。"),
    "w_padding": ("Padding (pixels)", "填充（像素）"),
    "help_padding": ("Rows and columns of zeros added round the input. (k − 1)/2 keeps the size (\"same\" padding).",
                     "在输入四周补上的零的行数和列数。(k − 1)/2 可以保持尺寸不变（`same` 填充）。"),
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
    "col_how": ("How", "计算"),
    "col_params": ("Parameters", "参数量"),
    "how_gpool_global_max": ("max of each {n}×{n} map", "每张 {n}×{n} 特征图的最大值"),
    "how_gpool_global_avg": ("mean of each {n}×{n} map", "每张 {n}×{n} 特征图的平均值"),
    "cap_shape_table": (
        "Computed before anything is built: a convolution gives ⌊(n + 2p − k)/s⌋ + 1 pixels from n (kernel k, "
        "stride s, padding p), a 2×2 pooling ⌊(n − 2)/2⌋ + 1. A conv layer has out × (in × k × k + 1) parameters.",
        "在构建任何东西之前就算好：卷积把 n 个像素变成 ⌊(n + 2p − k)/s⌋ + 1 个（卷积核 k，步幅 s，填充 p），"
        "2×2 池化变成 ⌊(n − 2)/2⌋ + 1 个。一个卷积层有 输出通道 × (输入通道 × k × k + 1) 个参数。"),
    "metric_cnn_params": ("CNN parameters", "CNN 参数量"),
    "help_cnn_params": ("Weights and biases of the conv layers and the classifier.", "卷积层和分类器的权重与偏置。"),
    "metric_mlp_params": ("MLP baseline parameters", "MLP 基线参数量"),
    "help_mlp_params": ("One hidden layer of {hidden} units on the {inputs} pixels: the width whose parameter count is "
                        "closest to the CNN's.", "以 {inputs} 个像素为输入、一个 {hidden} 个单元的隐藏层：参数量与 CNN 最接近的宽度。"),
    "cv_conv_too_small": (
        "{layer}: {formula} pixels. A {k}×{k} kernel does not fit its {n}×{n} input: use a smaller kernel, more "
        "padding, a smaller stride or less pooling before it.",
        "{layer}：{formula} 个像素。{k}×{k} 的卷积核放不进 {n}×{n} 的输入：请用更小的卷积核、更多填充、更小的步幅，或在它之前少做池化。"),
    "cv_pool_too_small": (
        "{layer}: {formula} pixels. 2×2 pooling needs at least 2×2 pixels and its input is {n}×{n}: turn this "
        "pooling off or keep the maps larger.",
        "{layer}：{formula} 个像素。2×2 池化至少需要 2×2 个像素，而它的输入是 {n}×{n}：请关闭这个池化，或让特征图保持更大。"),
    "cv_does_not_fit": ("These layers do not fit the images — {detail} Training goes on with the last setting that fit.",
                        "这些层与图像尺寸不匹配——{detail} 训练继续使用上一个可用的设置。"),
    "model_cnn": ("CNN", "CNN"),
    "model_mlp": ("MLP baseline", "MLP 基线"),
    "metric_model_acc": ("{model}: test accuracy", "{model}：测试准确率"),
    "help_metric_model_acc": ("Share of the test images classified correctly, now.", "当前被正确分类的测试图像比例。"),
    "w_test_image": ("Test image (1–{n})", "测试图像（1–{n}）"),
    "help_test_image": ("Which test image the feature maps are drawn for.", "为哪一张测试图像绘制特征图。"),
    "btn_another_image": ("Another image", "换一张图像"),
    "help_another_image": ("Show the feature maps of another test image, picked at random.", "随机挑选另一张测试图像，显示它的特征图。"),
    "cv_no_pictures": ("The CNN diverged: no pictures. Press Reset or lower the learning rate.",
                       "CNN 已发散：没有图像可显示。请按重置或降低学习率。"),
    "cv_example_line": ("Test image {number} is **{truth}**. {said}", "测试图像 {number} 是 **{truth}**。{said}"),
    "cv_said": ("{model} says {answer} ({confidence}) {mark}", "{model} 认为是 {answer}（{confidence}）{mark}"),
    "chart_feature_maps": ("Feature maps of every layer for test image {number}", "测试图像 {number} 在每一层的特征图"),
    "cap_feature_maps": (
        "One row per layer, from the image at the top: every map is drawn as large as the image (a small map's "
        "pixels as blocks), blue for positive, orange for negative, each row scaled to its own strongest value. "
        "Watch early maps pick out edges and strokes, and later ones answer whole parts.",
        "每一行是一层，最上面是图像本身：每张特征图都画得和图像一样大（小图的像素画成方块），蓝色为正、橙色为负，"
        "每行按自己的最大值缩放。观察前面的特征图如何挑出边缘和笔画，后面的则回应整个部件。"),
    "axis_weight": ("weight", "权重"),
    "axis_channel": ("kernel (output channel)", "卷积核（输出通道）"),
    "axis_out_channel": ("output channel →", "输出通道 →"),
    "axis_in_channel": ("input channel ↓", "输入通道 ↓"),
    "hover_kernel": ("out {0}, in {1}, row {2}, col {3}", "输出 {0}，输入 {1}，第 {2} 行，第 {3} 列"),
    "chart_first_kernels": ("The first layer's {k}×{k} kernels", "第一层的 {k}×{k} 卷积核"),
    "cap_first_kernels": (
        "Each kernel is the small pattern its feature map responds to: a bright blue stroke beside an orange one "
        "is an edge detector. They start as noise and take shape as the network learns.",
        "每个卷积核就是它的特征图所响应的小图案：一条亮蓝色笔画旁边是一条橙色笔画，就是边缘检测器。它们从噪声开始，随着学习逐渐成形。"),
    "chart_deep_kernels": ("Deeper kernels, one per (output, input) channel pair", "更深层的卷积核，每个 (输出, 输入) 通道对一个"),
    "cap_deep_kernels": (
        "A deeper layer's output channel sums one kernel over each of the previous layer's maps: a column here is "
        "one output channel, a row one input channel (a map of the layer before). Each layer has its own colour scale.",
        "更深一层的每个输出通道，是在上一层的每张特征图上各用一个卷积核再求和：这里每一列是一个输出通道，每一行是一个输入通道（前一层的一张特征图）。"
        "每层有自己的颜色刻度。"),
    "chart_confusion": ("Confusion matrix on the test images", "测试图像上的混淆矩阵"),
    "axis_true_class": ("true class", "真实类别"),
    "axis_predicted_class": ("predicted class", "预测类别"),
    "axis_share_of_row": ("share of the row", "占该行的比例"),
    "hover_confusion": ("{count} test images of {true} predicted as {predicted}",
                        "{count} 张 {true} 测试图像被预测为 {predicted}"),
    "cap_confusion": (
        "Counts of test images by true class (row) and predicted class (column), from scikit-learn; the colour is "
        "the share of the row. A perfect model is a dark diagonal.",
        "按真实类别（行）和预测类别（列）统计的测试图像数量，由 `scikit-learn` 计算；颜色表示占该行的比例。完美的模型是一条深色的对角线。"),
    "chart_wrong": ("{model}: misclassified test images ({count})", "{model}：分错的测试图像（{count} 张）"),
    "gallery_said": ("<b>{predicted}</b>", "<b>{predicted}</b>"),
    "gallery_truth": ("is {true}", "实为 {true}"),
    "gallery_none": ("None: every test image is classified correctly.", "没有：所有测试图像都分对了。"),
    "gallery_shown": ("the first {shown} of {total}", "前 {shown} 张，共 {total} 张"),
    "cap_wrong": ("Under each image: what the model said (bold) and what it is. The gallery follows the training.",
                  "每张图像下方：模型的回答（粗体）和它的真实类别。图库随训练更新。"),
    "cv_explainer_intro": (
        "Pick an image and a kernel, then move the kernel with the row and column sliders: the output cell is the "
        "sum of the window's pixels times the kernel's numbers, element by element. The kernel is not flipped — "
        "deep learning's \"convolution\" is a cross-correlation, as `torch.nn.functional.conv2d` computes it.",
        "选一张图像和一个卷积核，再用行和列滑块移动卷积核：输出单元等于窗口内的像素与卷积核的数逐元素相乘后求和。"
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
    "help_explainer_padding": ("Zeros round the image; (k − 1)/2 keeps the output as large as the image.",
                               "图像四周补的零；(k − 1)/2 使输出和图像一样大。"),
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
        "按“开始”：大约 20 个轮次内 CNN 的测试准确率超过 95%，同时第一层的卷积核逐渐成形。旁边参数量相近的 MLP 也差不多："
        "这些数字都在图像中央，所以笔画的位置在这里不是障碍。"),
    "lesson_conv_halves": ("Translation invariance: train left, test right", "平移不变性：左半训练，右半测试"),
    "lesson_conv_halves_watch": (
        "Every training shape lies in the left half, every test shape in the right half. The CNN pools each last map "
        "to its maximum (global max pooling), so a shape counts the same wherever it lies: within a few epochs it "
        "passes 95 % on the unseen half. The MLP, with about as many parameters, stays near chance (20 %).",
        "所有训练图形都在左半边，所有测试图形都在右半边。CNN 把最后的每张特征图池化成它的最大值（全局最大池化），"
        "所以图形无论出现在哪里都算作一样：几个轮次内它在从未见过的右半边上超过 95%。参数量相近的 MLP 停在随机水平（20%）附近。"),
    "lesson_conv_halves_flatten": ("Same test, flatten head: the CNN fails too", "同样的测试，展平头部：CNN 也失败"),
    "lesson_conv_halves_flatten_watch": (
        "The same CNN with the flatten head: its classifier has a weight for every position of the last maps, and "
        "the right-hand positions never saw a shape in training. It learns the left half perfectly and stays at "
        "chance (20 %) on the right, like the MLP. Switch the head to global max pooling to fix it.",
        "同样的 CNN 换成展平头部：分类器对最后特征图的每个位置都有一个权重，而右半边的位置在训练中从未见过图形。"
        "它完美地学会了左半边，在右半边却停在随机水平（20%），和 MLP 一样。把头部换成全局最大池化就能解决。"),
}


def translate(key: str, lang: str = "en", **args) -> str:
    en, zh = TABLE.get(key, (key, ""))
    text = zh if lang == "zh" and zh else en
    return text.format(**args) if args else text
