"""The shell, the home page, the run controls, charts and formulas every page shares, errors and the URL. English and 中文, as (English, 中文) pairs."""

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
        "选好层、激活函数、优化器、学习率和正则化方法，按“开始”，看模型如何学习：损失下降，决策区域逐渐弯曲，权重不断变大。"
        "每次运行都有固定的随机种子，同样的设置每次都得到同样的结果。"),
    "home_device": ("Device for training", "训练设备"),
    "no_gpu": ("No CUDA GPU on this server: training runs on the CPU.", "此服务器没有 CUDA GPU，训练在 CPU 上进行。"),
    "home_footer": (
        "Runs on a laptop without a GPU or network. Switch the language and projector mode in the sidebar.",
        "无需 GPU，也无需联网，一台笔记本电脑就能运行。可在侧边栏切换语言和投影模式。"),
    "w_projector": ("Projector mode", "投影模式"),
    "help_projector": ("Larger fonts and lines, one chart per row: for a classroom projector.",
                       "更大的字体和线条，每行只放一个图表：适合教室投影。"),
    "sec_settings": ("Settings", "设置"),
    "sec_curves": ("Loss and accuracy", "损失与准确率"),
    "list_sep": (", ", "、"),  # between the items of a list in running text (class names, optimizers)
    # run controls
    "btn_start": ("Start", "开始"),
    "btn_pause": ("Pause", "暂停"),
    "btn_step": ("Step", "单步"),
    "btn_reset": ("Reset", "重置"),
    "btn_new_weights": ("New weights", "新权重"),
    "help_start": ("Train continuously until you pause.", "持续训练，直到按“暂停”。"),
    "help_start_finished": ("This run has ended: press Reset to start over.", "本次运行已结束：按“重置”重新开始。"),
    "help_pause": ("Stop training; the weights stay.", "停止训练，权重保持不变。"),
    "help_step": ("Train one epoch = {updates} updates, then pause.", "训练一轮（{updates} 次更新）后暂停。"),
    "step_label": ("Step: 1 epoch = {updates} updates", "单步：1 轮 = {updates} 次更新"),
    "help_reset": ("Back to update 0 with the same initial weights and batch order.",
                   "回到第 0 次更新，初始权重和批次顺序都不变。"),
    "help_new_weights": ("Start over from new initial weights (the next seed).", "换一组新的初始权重（下一个种子），从头开始。"),
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
    "hint_diverged": ("Lower the learning rate, then press Reset.", "请降低学习率，然后按“重置”。"),
    "note_not_falling": (
        "The loss is not falling: it has jumped about or climbed for a while without beating its earlier best. "
        "The learning rate may be too high: lower it, then press Reset (the weights it has reached stay otherwise).",
        "损失降不下去：一段时间以来它忽高忽低或不断上升，始终没有低于此前的最低值。学习率可能过高：请调低学习率，"
        "再按“重置”（否则权重会停留在已经跑到的位置）。"),
    "note_done": ("reached the step cap of {updates} updates.", "已达到 {updates} 次更新的上限。"),
    "note_stopped_early": (
        "stopped early at epoch {epoch}: the validation loss has not improved for {patience} epochs since "
        "epoch {best}.",
        "在第 {epoch} 轮提前停止：验证损失自第 {best} 轮起已有 {patience} 轮没有改善。"),
    "note_idle": ("paused because no one watched this page for {minutes} minutes. Press Start to go on.",
                  "{minutes} 分钟内无人查看此页面，训练已暂停。按“开始”继续。"),
    "note_queued": ("the server already trains its maximum of {cap} models: this run is number {place} in the queue "
                    "and starts by itself when its turn comes (first come, first served).",
                    "服务器已在训练最多 {cap} 个模型：本次运行排在队列第 {place} 位，轮到时会自动开始（先到先得）。"),
    "note_session_cap": ("your other runs already train this session's share of {cap} models: this run starts by "
                         "itself when one of them pauses or ends (press Pause on its page; a page nobody watches "
                         "pauses by itself after a few minutes).",
                         "你的其他运行已占满本会话 {cap} 个模型的份额：其中一个暂停或结束时，本次运行会自动开始"
                         "（在它的页面上按“暂停”；无人查看的页面几分钟后也会自动暂停）。"),
    "server_shared": ("the server trains {models} models now, this one among them",
                      "服务器正在训练 {models} 个模型（包括这一个）"),
    "server_waiting": ("{runs} more waiting for a turn", "另有 {runs} 个在排队"),
    "note_worker_died": ("the process that trained this run stopped. Press Start or Reset to train it again from "
                         "the beginning (from its settings and seed).",
                         "负责本次训练的进程已停止。按“开始”或“重置”，将按原来的设置和种子从头重新训练。"),
    "note_rebuilt": ("Data, network, seed or device changed: the run started over from update 0.",
                     "数据、网络、种子或设备已更改：训练从第 0 次更新重新开始。"),
    "metric_epoch": ("Epoch", "轮次"),
    "metric_updates": ("Updates", "更新次数"),
    "metric_train_loss": ("Train loss", "训练损失"),
    "metric_test_loss": ("Test loss", "测试损失"),
    "metric_test_acc": ("Test accuracy", "测试准确率"),
    "help_metric_epoch": ("Passes over the training data.", "遍历训练数据的次数。"),
    "help_metric_updates": ("Optimizer steps taken so far.", "优化器到目前为止的更新次数。"),
    "help_metric_loss": ("Cross-entropy on the whole set, without the regularization term.",
                         "整个数据集上的交叉熵，不含正则化项。"),
    "help_metric_loss_regression": ("Mean squared error on the whole set, without the regularization term.",
                                    "整个数据集上的均方误差，不含正则化项。"),
    "help_metric_acc": ("Share of test points classified correctly.", "测试点中分类正确的比例。"),
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
                 "训练数据（实线）和测试数据（点线）上的交叉熵。留意测试曲线何时与训练曲线分开：两者之间的差距就是过拟合。"),
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
        "在一个固定批次（最多 256 个训练点）上测量。某层的梯度柱远低于相邻层，就是梯度消失：该层几乎学不到东西。"),
    "col_activation": ("activation", "激活函数"),
    "col_grad": ("‖∂L/∂W‖", "‖∂L/∂W‖"),
    "col_weight": ("‖W‖", "‖W‖"),
    "col_mean": ("mean", "均值"),
    "col_std": ("std", "标准差"),
    "col_dead": ("dead", "死亡单元"),
    "col_saturated": ("saturated", "饱和单元"),
    "cap_probe_table": (
        "Mean and std of each layer's outputs. Dead: ReLU units that output 0 for every probe point (they "
        "no longer learn). Saturated: tanh/sigmoid outputs within 1 % of their bounds, where the gradient is "
        "nearly 0. ‖∂L/∂W‖ and ‖W‖: the layer's gradient and weight norms.",
        "各层输出的均值和标准差。死亡单元：对所有探针点都输出 0 的 ReLU 单元（不再学习）。饱和单元：输出距上下界"
        "不到 1% 的 tanh/sigmoid 单元，那里的梯度几乎为 0。‖∂L/∂W‖ 与 ‖W‖：该层的梯度范数和权重范数。"),
    # formulas
    "formula_layer": ("The input features φ(x), then each hidden layer ℓ, with f = {activation}:",
                      "先是输入特征 φ(x)，然后是每个隐藏层 ℓ，其中 f = {activation}："),
    "formula_layer_each": ("The input features φ(x), then each hidden layer ℓ with its own activation ({activations}):",
                           "先是输入特征 φ(x)，然后是每个隐藏层 ℓ，各用自己的激活函数（{activations}）："),
    "formula_no_hidden": ("No hidden layer: a linear model of the input features φ(x).",
                          "没有隐藏层：输入特征 φ(x) 的线性模型。"),
    "formula_loss": ("The loss being minimized:", "要最小化的损失："),
    "formula_update": ("The update rule of {optimizer} (η is the learning rate):", "{optimizer} 的更新规则（η 为学习率）："),
    "formula_chapter_note": (
        "Where the book chapter differs: it writes x = f(Wx + b), but the layer's output is a new "
        "vector y (here h_ℓ); and its update rule multiplies by ∂y/∂x, while the weights move along "
        "the gradient of the loss with respect to the weights, ∂L/∂W.",
        "与书中那一章的不同之处：书中写作 x = f(Wx + b)，但这一层的输出是一个新的向量 y（此处为 h_ℓ）；书中的更新规则乘以 ∂y/∂x，"
        "而权重实际上是沿损失对权重的梯度 ∂L/∂W 移动的。"),
    # errors and the URL
    "error_invalid": ("This setting cannot be used: {detail}", "无法使用此设置：{detail}"),
    "error_unexpected": (
        "Something went wrong in the {where} ({detail}). Your settings are kept; try Reset or another value.",
        "{where}出了问题（{detail}）。你的设置已保留；请按“重置”或换一个值再试。"),
    "where_controls": ("controls", "控件区"),
    "where_run": ("run panel", "运行面板"),
    "where_live_panel": ("live charts", "实时图表"),
    "where_button": ("button", "按钮"),
    "url_value_ignored": ("A value in the link was ignored: {detail}", "已忽略链接中的一个值：{detail}"),
}
