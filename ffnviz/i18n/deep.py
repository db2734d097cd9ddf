"""The deep-networks page. English and 中文, as (English, 中文) pairs."""

TABLE: dict[str, tuple[str, str]] = {
    "page_deep": ("Deep networks", "深层网络"),
    "card_deep": (
        "Stack up to 30 layers and watch what decides whether they train at all: initialization, "
        "normalization, residual connections, learning-rate schedules and early stopping, layer by layer.",
        "最多堆叠 30 层，逐层观察决定深层网络能否训练的因素：初始化、归一化、残差连接、学习率调度与提前停止。"),
    "dp_title": ("Deep networks", "深层网络"),
    "dp_intro": (
        "A plain network of equal hidden layers, h ← f(norm(W h + b)). The charts below show every layer: "
        "what its activations look like at initialization and now, how big a gradient reaches it, and how far "
        "one update moves its weights.",
        "由若干等宽隐藏层组成的普通网络，h ← f(norm(W h + b))。下面的图表逐层展示：各层的激活值在初始化时和现在是什么样子，"
        "到达该层的梯度有多大，以及一次更新让它的权重移动了多少。"),
    # controls
    "dp_sec_data": ("Data", "数据"),
    "dp_sec_network": ("Network", "网络"),
    "dp_sec_training": ("Training", "训练"),
    "dp_sec_schedule": ("Learning-rate schedule", "学习率调度"),
    "dp_sec_stop": ("Early stopping", "提前停止"),
    "ds_digits": ("Digits (8×8 images, 10 classes)", "手写数字（8×8 图像，10 类）"),
    "dp_w_depth": ("Hidden layers (depth)", "隐藏层数（深度）"),
    "dp_help_depth": ("How many hidden layers, each of the same width.", "隐藏层的数量，每层宽度相同。"),
    "dp_w_width": ("Units per layer (width)", "每层单元数（宽度）"),
    "dp_help_width": ("Units in every hidden layer.", "每个隐藏层中的单元数。"),
    "dp_help_init": (
        "How the weights are drawn. Xavier, He and orthogonal are scaled by the activation's gain "
        "(torch.nn.init.calculate_gain), so that the signal keeps its size from layer to layer.",
        "权重如何随机初始化。Xavier、He 和正交初始化按激活函数的增益缩放（torch.nn.init.calculate_gain）"
        "，使信号逐层传递时大小保持不变。"),
    "init_constant": ("Constant (every weight σ)", "常数（所有权重都为 σ）"),
    "init_normal": ("N(0, σ)", "N(0, σ)"),
    "init_orthogonal": ("Orthogonal", "正交"),
    "dp_w_scale": ("σ (or the constant)", "σ（或常数值）"),
    "dp_help_scale": ("The standard deviation of N(0, σ), or the value of every weight for Constant.",
                      "N(0, σ) 的标准差；对“常数”初始化则是每个权重的值。"),
    "dp_w_norm": ("Normalization", "归一化"),
    "dp_help_norm": (
        "Before each activation. BatchNorm normalizes each unit over the batch; LayerNorm and RMSNorm "
        "normalize each example over its units.",
        "放在每个激活函数之前。BatchNorm 对每个单元在整个批次上做归一化；LayerNorm 和 RMSNorm 对每个样本在它的各单元上做归一化。"),
    "norm_none": ("None", "无"),
    "norm_batch": ("BatchNorm", "BatchNorm（批归一化）"),
    "norm_layer": ("LayerNorm", "LayerNorm（层归一化）"),
    "norm_rms": ("RMSNorm", "RMSNorm（均方根归一化）"),
    "dp_help_residual": ("Each layer after the first adds its input to its output: h + f(norm(W h + b)).",
                         "第一层之后的每一层都把输入加到输出上：h + f(norm(W h + b))。"),
    "dp_w_budget": ("Updates (the run's budget)", "更新次数（本次运行的预算）"),
    "dp_help_budget": ("The run ends after this many updates; a schedule is laid out over them.",
                       "运行在这么多次更新后结束；学习率调度按这个长度安排。"),
    "dp_w_schedule": ("Schedule", "调度方式"),
    "dp_help_schedule": ("How the learning rate changes over the run (torch.optim.lr_scheduler).",
                         "学习率在运行中如何变化（PyTorch 的学习率调度器）。"),
    "sched_constant": ("Constant", "恒定"),
    "sched_step": ("Step: × γ every N updates", "阶梯：每 N 次更新乘以 γ"),
    "sched_cosine": ("Cosine down to 0", "余弦退火到 0"),
    "sched_warmup_cosine": ("Linear warm-up, then cosine", "线性预热，然后余弦退火"),
    "sched_onecycle": ("One-cycle", "单周期"),
    "dp_w_warmup": ("Warm-up updates", "预热更新次数"),
    "dp_help_warmup": ("The learning rate rises linearly from 1 % to 100 % over these updates.",
                       "在这些更新中，学习率从 1% 线性升到 100%。"),
    "dp_w_step_size": ("Updates between cuts (N)", "两次衰减之间的更新次数（N）"),
    "dp_w_gamma": ("Factor at each cut (γ)", "每次衰减的系数（γ）"),
    "dp_w_stop": ("Stop early", "提前停止"),
    "dp_help_stop": (
        "Hold out part of the TRAINING data as a validation set and stop when its loss has not improved for "
        "a number of epochs. The test set is never used to choose.",
        "从训练数据（而不是测试数据）中留出一部分作为验证集，验证损失连续若干轮没有改善时停止训练。测试集从不用来做选择。"),
    "dp_w_val": ("Validation share of the training data", "验证集占训练数据的比例"),
    "dp_w_patience": ("Patience (epochs)", "耐心（轮数）"),
    "dp_w_restore": ("Restore the best weights", "恢复最佳权重"),
    "dp_help_restore": ("At the end, go back to the weights of the best validation epoch.",
                        "结束时，回到验证损失最好那一轮的权重。"),
    "dp_w_probing": ("Per-layer pictures", "逐层图表"),
    "dp_help_probing": ("Measure every layer a few times a second. Off: the run trains a little faster.",
                        "每秒对每一层测量几次。关闭后训练会稍快一些。"),
    "dp_parameters": ("{params:,} parameters", "{params:,} 个参数"),
    # bad input
    "dp_over_cap": (
        "{depth} layers × {width} units have {params:,} parameters; × batch {batch} that is {work:,}, over this "
        "server's cap of {cap:,} (parameters × batch). A class shares the server: make the network shallower or "
        "narrower, or the batch smaller. The last setting that fits keeps running.",
        "{depth} 层 × {width} 个单元共有 {params:,} 个参数；乘以批大小 {batch} 得到 {work:,}，"
        "超过了本服务器的上限 {cap:,}（参数数 × 批大小）。全班共用一台服务器：请减少层数或宽度，或减小批大小。仍按上一个可行的设置继续运行。"),
    "dp_bn_batch_one": (
        "BatchNorm normalizes each unit over the batch: with a batch of 1 the batch's mean is the example itself, "
        "every normalized value is 0 and nothing can be learned. Choose a batch of 2 or more, or LayerNorm or "
        "RMSNorm, which normalize within one example. The last setting that fits keeps running.",
        "BatchNorm 在批次上对每个单元做归一化：批大小为 1 时，批次均值就是这个样本本身，归一化后的值全是 0，什么也学不到。"
        "请选择 2 或更大的批大小，或改用在单个样本内归一化的 LayerNorm 或 RMSNorm。仍按上一个可行的设置继续运行。"),
    "dp_warmup_too_long": (
        "The warm-up ({warmup} updates) must be shorter than the run ({budget} updates): shorten it or train "
        "for longer. The last setting that fits keeps running.",
        "预热（{warmup} 次更新）必须短于整个运行（{budget} 次更新）：请缩短预热，或增加更新次数。仍按上一个可行的设置继续运行。"),
    "dp_step_too_long": (
        "The first cut ({step} updates) comes after the run ends ({budget} updates): the rate would never "
        "change. The last setting that fits keeps running.",
        "第一次衰减（{step} 次更新）在运行结束（{budget} 次更新）之后：学习率永远不会变。仍按上一个可行的设置继续运行。"),
    "dp_refused": ("This setting cannot run: {detail}. The last setting that fits keeps running.",
                   "此设置无法运行：{detail}。仍按上一个可行的设置继续运行。"),
    "dp_no_momentum_cycle": (
        "One-cycle also cycles the momentum the other way, but {optimizer} has no momentum or β₁: the learning "
        "rate cycles alone.",
        "单周期调度还会反向循环动量，但 {optimizer} 没有动量或 β₁：只有学习率在循环。"),
    # alerts
    "dp_alert_vanishing": (
        "**The gradient is vanishing.** The first layer receives less than a thousandth of the gradient the last "
        "layer gets, so the layers near the input hardly learn. Try He or Xavier initialization, ReLU instead of "
        "sigmoid, BatchNorm, or residual connections.",
        "**梯度正在消失。** 第一层得到的梯度不到最后一层的千分之一，因此靠近输入的层几乎学不到东西。"
        "试试 He 或 Xavier 初始化、用 ReLU 代替 sigmoid、BatchNorm 或残差连接。"),
    "dp_alert_exploding": (
        "**The gradient is exploding.** Gradients grow huge on their way back to the input, so each update "
        "throws the weights far away. Try a smaller learning rate, a warm-up, a smaller initialization, or "
        "normalization.",
        "**梯度正在爆炸。** 梯度在传回输入的途中变得巨大，每次更新都会把权重抛得很远。"
        "试试更小的学习率、预热、更小的初始化或归一化。"),
    "dp_stopped_note": (
        "Best validation epoch: {best}. The test figure above is of {which}; it is reported, never used to choose.",
        "验证损失最好的一轮：第 {best} 轮。上面的测试结果来自{which}；它只用来报告，从不用来做选择。"),
    "dp_which_restored": ("the restored best weights", "恢复后的最佳权重"),
    "dp_which_last": ("the last weights", "最后的权重"),
    # charts
    "dp_chart_loss": ("Loss: train, validation, test", "损失：训练、验证、测试"),
    "dp_best": ("best validation", "验证最佳"),
    "dp_val": ("validation", "验证"),
    "dp_chart_lr": ("Learning rate per update", "每次更新的学习率"),
    "dp_lr_used": ("used", "实际使用"),
    "dp_lr_planned": ("the whole schedule", "完整调度"),
    "dp_chart_act": ("Activations per layer: mean and std", "各层激活值：均值与标准差"),
    "dp_mean": ("mean", "均值"),
    "dp_std": ("std", "标准差"),
    "dp_init": ("at init", "初始化时"),
    "dp_now": ("now", "当前"),
    "dp_chart_hist": ("Activation histograms per layer", "各层激活值直方图"),
    "dp_share": ("share", "占比"),
    "dp_chart_grad": ("Gradient norm reaching each layer", "到达各层的梯度范数"),
    "dp_chart_ratio": ("One update's size ‖ΔW‖ / ‖W‖", "一次更新的大小 ‖ΔW‖ / ‖W‖"),
    "dp_healthy": ("≈ 1e-3 is healthy", "≈ 1e-3 较为健康"),
    "dp_chart_units": ("Dead and saturated units", "死亡与饱和的单元"),
    "dp_dead": ("dead (ReLU: 0 on every example)", "死亡（ReLU：对所有样本都输出 0）"),
    "dp_saturated": ("saturated (within 1 % of a bound)", "饱和（距边界 1% 以内）"),
    "dp_chart_grad_time": ("Gradients over training", "训练过程中的梯度"),
    "dp_cap_loss": (
        "The validation set is carved from the training data; the dashed line marks its best epoch, the one "
        "early stopping keeps.",
        "验证集从训练数据中划出；虚线标出验证损失最好的一轮，也就是提前停止所保留的那一轮。"),
    "dp_cap_lr": ("What the optimizer used at each update (solid) and the schedule over the whole budget (dotted).",
                  "优化器在每次更新时实际使用的学习率（实线），以及整个预算上的调度（点线）。"),
    "dp_cap_act": (
        "Dotted: at initialization; solid: now. A std that shrinks layer after layer is a signal dying on its way "
        "through the network.",
        "点线：初始化时；实线：现在。标准差逐层缩小，说明信号在穿过网络时逐渐消失。"),
    "dp_cap_hist": (
        "Each column is one layer's histogram, every layer on the same bins. Squeezed into the middle: "
        "activations vanish; piled at both ends: saturated.",
        "每一列是一层的直方图，各层使用相同的区间。挤在中间：激活值消失；堆在两端：饱和。"),
    "dp_cap_grad": ("Log axis; the last point is the output layer. A line falling to the left is a vanishing gradient.",
                    "对数坐标；最后一个点是输出层。向左下降的线就是梯度消失。"),
    "dp_cap_ratio": ("Far below 1e-3: the layer barely moves; far above: it jumps around.",
                     "远低于 1e-3：该层几乎不动；远高于 1e-3：它在剧烈跳动。"),
    "dp_cap_units": ("A dead ReLU unit passes no gradient and never recovers by itself.",
                     "死亡的 ReLU 单元不传递梯度，也不会自行恢复。"),
    "dp_cap_grad_time": ("The gradient norm per layer over training; colour: its log₁₀. Layer 1 is the input side.",
                         "训练过程中各层的梯度范数；颜色：其 log₁₀。第 1 层在输入一侧。"),
    "dp_probing_off": ("Per-layer pictures are off.", "逐层图表已关闭。"),
    "dp_weight_norm": ("Size of all weights together, ‖W‖ = {norm}", "所有权重合在一起的大小：‖W‖ = {norm}"),
    "dp_layers_diverged": ("The run diverged: its weights are no longer numbers, so there is nothing to measure per "
                           "layer. Reset, or lower the learning rate.",
                           "训练已发散：权重已不再是有效数值，无法逐层测量。请按“重置”，或降低学习率。"),
    "dp_sec_layers": ("Inside, layer by layer", "网络内部，逐层观察"),
    # lessons
    "lesson_deep_sigmoid": ("Sigmoid at depth 10", "10 层 sigmoid 网络"),
    "lesson_deep_sigmoid_watch": (
        "Ten sigmoid layers with nn.Linear's default initialization and plain SGD barely learn: watch the gradient "
        "chart fall to the left. Switch the activation to ReLU and the initialization to He, and train again.",
        "十层 sigmoid、nn.Linear 默认初始化、普通 SGD：几乎学不会，注意梯度图向左下降。把激活函数换成 ReLU、"
        "初始化换成 He，再训练一次。"),
    "lesson_deep_init": ("N(0, 0.01): activations vanish", "N(0, 0.01)：激活值消失"),
    "lesson_deep_init_watch": (
        "Press Step once and look at the activation chart: with N(0, 0.01) the std shrinks about tenfold at every "
        "layer. Set σ to 1: the histograms pile up at ±1 (saturated). Xavier keeps them alive.",
        "按一次“单步”，看激活值图：用 N(0, 0.01) 时，标准差每过一层缩小约十倍。把 σ 设为 1：直方图堆积在 ±1（饱和）"
        "。Xavier 初始化让激活值保持活跃。"),
    "lesson_deep_plain20": ("20 layers: plain vs BatchNorm", "20 层：普通网络与 BatchNorm"),
    "lesson_deep_plain20_watch": (
        "Twenty plain ReLU layers with the default initialization stay near chance. Turn on BatchNorm, or residual "
        "connections, and the same network trains.",
        "二十层普通 ReLU 网络、默认初始化：准确率停在随机水平附近。打开 BatchNorm 或残差连接，同一个网络就能训练了。"),
    "lesson_deep_stop": ("Early stopping on noisy data", "在含噪数据上提前停止"),
    "lesson_deep_stop_watch": (
        "100 noisy training points and a big network: the validation loss turns up after a few epochs. Training "
        "stops when it has not improved for 10 epochs and the best weights come back; compare the test loss with "
        "the run without early stopping.",
        "100 个含噪训练点和一个大网络：验证损失几轮后就开始上升。当它连续 10 轮没有改善时训练停止，并恢复最佳权重；"
        "把测试损失与不提前停止的运行比较一下。"),
    "lesson_deep_adamw": ("Adam + L2 vs AdamW", "Adam + L2 与 AdamW"),
    "lesson_deep_adamw_watch": (
        "Adam with an L2 penalty divides the penalty's gradient by the same running size as the data's, so weights "
        "with small gradients are pulled to 0 much harder. AdamW decays every weight by the same factor ηλ each "
        "update. Switch the optimizer to AdamW with decoupled weight decay at the same rate: the same λ shrinks the "
        "weights far less (watch ‖W‖ above the per-layer charts), so the two λ are not the same knob.",
        "带 L2 惩罚的 Adam 会把惩罚项的梯度也除以与数据梯度相同的滑动尺度，因此梯度小的权重被拉向 0 的力度大得多。"
        "AdamW 则每次更新都让每个权重按同一系数 ηλ 衰减。把优化器换成 AdamW，用同样的强度做解耦权重衰减：同样的 λ 让权重缩小得少得多（观察逐层图表上方的 ‖W‖）"
        "，所以两者的 λ 不是同一个旋钮。"),
}
