"""The gated-layers page. English and 中文, as (English, 中文) pairs."""

TABLE: dict[str, tuple[str, str]] = {
    # gated-layers page
    "page_gated": ("Gated layers", "门控层"),
    "card_gated": (
        "The feedforward block of today's language models against its gated variants (SwiGLU and friends), "
        "and a plain RNN against a GRU and an LSTM: watch the gates open and close while they train.",
        "当今语言模型里的前馈块与它的门控变体（SwiGLU 等）对比，普通 RNN 与 GRU、LSTM 对比：观察门在训练中如何开合。"),
    "gl_title": ("Gated layers", "门控层"),
    "gl_intro": (
        "Two races of sequence models, trained live in lockstep from the same batches: feedforward blocks, "
        "plain and gated, at equal parameter counts; and recurrent networks with and without gates.",
        "两场序列模型的竞赛，所有模型用相同的批次同步实时训练：一场是参数量相同的普通前馈块与门控前馈块，另一场是带门与不带门的循环网络。"),
    "tab_ffn": ("Feedforward block", "前馈块"),
    "tab_rnn": ("Recurrent gates", "循环网络的门"),
    "where_ffn": ("the feedforward block race", "前馈块竞赛"),
    "where_rnn": ("the recurrent race", "循环网络竞赛"),
    "gl_ffn_intro": (
        "Each variant maps d → h → d. The plain block computes W₂ f(W₁x); a gated one computes "
        "W₂ (f(W₁x) ⊙ W₃x), with h chosen so that every variant has the same number of parameters. The "
        "sequence is one-hot encoded and flattened into the block.",
        "每个变体都是 d → h → d 的映射。普通块计算 W₂ f(W₁x)；门控块计算 W₂ (f(W₁x) ⊙ W₃x)，"
        "h 的取值使所有变体的参数量相同。序列经独热编码、展平后输入前馈块。"),
    "gl_rnn_intro": (
        "A plain RNN, a GRU and an LSTM (torch.nn) read the sequence one token at a time and answer at the end. "
        "Gates decide what to keep: watch them, and watch the gradient fade over time steps in the plain RNN.",
        "普通 RNN、GRU 和 LSTM（torch.nn）逐个读入序列中的词元，读完后作答。门决定保留什么：观察门的变化，"
        "也观察普通 RNN 中梯度如何随时间步衰减。"),
    "w_task": ("Task", "任务"),
    "help_task": ("A synthetic sequence task; how it is posed is written under it.", "一个人工合成的序列任务，具体设定见下方。"),
    "task_remember_first": ("Remember the first token", "记住第一个词元"),
    "task_adding": ("Adding problem", "加法问题"),
    "task_parity": ("Parity", "奇偶校验"),
    "task_reverse": ("Reverse", "反转"),
    "task_sort": ("Sort", "排序"),
    "task_copy_offset": ("Copy with an offset", "带偏移复制"),
    "task_find_earlier": ("Find the earlier occurrence", "找出上一次出现的位置"),
    "task_posed_remember_first": ("Input: T tokens. Target: one per sequence, the first token (chance: 1/vocabulary).",
                                  "输入：T 个词元。目标：每个序列一个，即第一个词元（随机猜中率为 1/词表大小）。"),
    "task_posed_adding": ("Input: T pairs (a value in [0, 1], a marker); two are marked. Target: one per sequence, the "
                          "sum of the two marked values (a regression: mean squared error).",
                          "输入：T 对（[0, 1] 中的一个值，一个标记），其中两对带有标记。目标：每个序列一个，即两个带标记的值之和（回归："
                          "均方误差）。"),
    "task_posed_parity": ("Input: T bits. Target: one per sequence, whether the number of ones is odd.",
                          "输入：T 个比特。目标：每个序列一个，即 1 的个数是否为奇数。"),
    "task_posed_reverse": ("Input: T tokens. Target: one per position, the sequence reversed.",
                           "输入：T 个词元。目标：每个位置一个，即反转后的序列。"),
    "task_posed_sort": ("Input: T tokens. Target: one per position, the sequence sorted.",
                        "输入：T 个词元。目标：每个位置一个，即排序后的序列。"),
    "task_posed_copy_offset": ("Input: T tokens. Target: one per position, the token two steps earlier (the first two "
                               "positions are not scored).", "输入：T 个词元。目标：每个位置一个，即两步之前的词元（前两个位置不计分）。"),
    "task_posed_find_earlier": ("Input: T tokens. Target: one per position, where this token last occurred before (or "
                                "\"none\").", "输入：T 个词元。目标：每个位置一个，即该词元上一次出现的位置（或“无”）。"),
    "w_seq_length": ("Sequence length T", "序列长度 T"),
    "help_seq_length": ("Tokens per sequence.", "每个序列的词元数。"),
    "w_vocab": ("Vocabulary", "词表大小"),
    "help_vocab": ("How many different tokens there are (parity uses bits, the adding problem numbers).",
                   "不同词元的个数（奇偶校验用的是比特，加法问题用的是数值）。"),
    "w_data_seed": ("Data seed", "数据种子"),
    "help_data_seed": ("Draws the sequences: the same seed gives the same data set (the weights have their own seed: "
                       "New weights).", "用于生成序列：种子相同，数据集就相同（权重另有种子，见“新权重”）。"),
    "w_ffn_d": ("Width d", "宽度 d"),
    "help_ffn_d": ("The block's input and output size.", "前馈块的输入和输出维度。"),
    "w_ffn_h": ("Hidden size h (plain)", "隐藏维度 h（普通块）"),
    "help_ffn_h": ("The plain block's hidden size; gated variants get about 2h/3 so that the parameter counts match.",
                   "普通块的隐藏维度；门控变体取约 2h/3，使参数量一致。"),
    "w_residual": ("Residual connection", "残差连接"),
    "help_residual": ("Add the block's input to its output: x + FFN(x).", "把块的输入加到输出上：x + FFN(x)。"),
    "w_layer_norm": ("Layer norm", "层归一化"),
    "help_layer_norm": ("Normalise the input first (pre-norm): x + FFN(LN(x)).", "先对输入做归一化（前置归一化）：x + FFN(LN(x))。"),
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
    "gl_rnn_measured": (
        "Where the textbook result holds, on “remember the first token” with this page's settings (hidden 32, "
        "vocabulary 8, Adam 0.01, batch 32, 3,000 updates; median test accuracy over 5 seeds): T = 10, plain RNN "
        "0.79, GRU and LSTM 1.00; T = 20, plain RNN 0.13 (chance), GRU and LSTM 1.00; T = 50, none gets past "
        "chance in 3,000 updates. The LSTM's forget-gate bias starts at 2: with torch's default (around 0) it "
        "stays at chance at T = 20. The GRU's update-gate bias starts at torch's own draw (0 here). With both "
        "biases at 4 and batch 128, the LSTM and the GRU remember at T = 50 too (median 1.00 for both after 250 "
        "updates; training seeds 0–4, data seed 0).",
        "教科书上的结论在哪里成立（“记住第一个词元”，本页设置：隐藏维度 32、词表 8、Adam 0.01、批大小 32、"
        "3000 次更新；5 个种子的测试准确率中位数）：T = 10 时，普通 RNN 0.79，GRU 和 LSTM 1.00；"
        "T = 20 时，普通 RNN 0.13（随机水平），GRU 和 LSTM 1.00；T = 50 时，3000 次更新内没有一个超过随机水平。"
        "LSTM 的遗忘门偏置初始为 2；若用 torch 的默认值（0 附近），它在 T = 20 时停在随机水平。"
        "GRU 的更新门偏置初始为 torch 自己抽取的值（此处为 0）。两个偏置都设为 4 且批大小为 128 时，LSTM 和 GRU 在 T = 50 "
        "时也记得住（训练种子 0–4、数据种子 0，250 次更新后两者中位数都是 1.00）。"),
    "lesson_gated_remember20": ("T = 20: who remembers the first token?", "T = 20：谁记得住第一个词元？"),
    "lesson_gated_remember20_watch": (
        "Press Start. The LSTM is right on nearly every test sequence within a few hundred updates: its forget "
        "gate starts open (bias 2, σ ≈ 0.88), so the cell keeps the first token by default. The GRU gets there "
        "later, within about 3,000 updates. The plain RNN stays at chance (1/8): the gradient that reaches back "
        "20 steps is too weak to learn from (the chart of the gradient at each time step). Then pick the LSTM's "
        "forget gate in the heatmap.",
        "按“开始”。LSTM 几百次更新内就能答对几乎所有测试序列：它的遗忘门一开始就是打开的（偏置 2，σ ≈ 0.88）"
        "，所以细胞默认保留第一个词元。GRU 慢一些，大约 3000 次更新内做到。普通 RNN 停在随机水平（1/8）：传回 20 步之前的梯度太弱，"
        "学不到东西（见“到达每个时间步的梯度”图）。然后在热力图中选 LSTM 的遗忘门看看。"),
    "lesson_gated_remember50": ("T = 50: gates that start open remember", "T = 50：门一开始就打开，才记得住"),
    "lesson_gated_remember50_watch": (
        "Fifty tokens: the page's race (hidden 32, Adam 0.01) with batch 128, the LSTM's forget-gate bias at start "
        "4 and the GRU's update-gate bias at start 4 (the page starts at 32, 2 and 0). Press Start. Within 250 "
        "updates the LSTM and the GRU are right on nearly every test sequence (test accuracy 1.00 for both in the "
        "median over seeds 0–4; the GRU on every seed by then, the LSTM by update 500), while the plain RNN stays at chance (1/8): it has no gate to keep the first "
        "token. Why the biases matter: at the start the LSTM's forget gate is about σ(b), and the cell's memory of "
        "the first token is multiplied by it at each of the fifty steps, σ(b)⁵⁰: σ(2)⁵⁰ ≈ 0.002, σ(3)⁵⁰ ≈ 0.09, "
        "σ(4)⁵⁰ ≈ 0.40 (“chrono” initialisation sets b ≈ log T, here log 50 ≈ 3.9). The GRU's update gate z does "
        "the same (in torch's GRU, z near 1 keeps the old state): with torch's own small biases it starts near "
        "σ(0) = 0.5, and 0.5⁵⁰ ≈ 10⁻¹⁵; with 4, σ(4)⁵⁰ ≈ 0.40 of the first token's trace is left. Set the "
        "forget-gate bias at start to 2 (the race starts over) and press Start: now the LSTM stays at chance "
        "(median 0.11 after 1,000 updates); with 3 it gets there, a little later (median 0.82 after 250 updates, "
        "1.00 after 500). Set the update-gate bias at start to 0 and the GRU stays at chance too (median "
        "0.135 after 1,000 updates).",
        "五十个词元：本页的竞赛（隐藏维度 32、Adam 0.01），批大小改为 128，LSTM 的遗忘门初始偏置改为 4，GRU 的更新门初始偏置"
        "也改为 4（本页默认为 32、2 和 0）。按“开始”。250 次更新之内，LSTM 和 GRU 几乎答对所有测试序列（种子 0–4 的测试准确率"
        "中位数两者都是 1.00；此时 GRU 每个种子都已做到，LSTM 到第 500 次更新时每个种子都是），而普通 RNN 停在随机水平（1/8）：它没有能保留第一个词元的门。偏置为什么重要：训练开始时 LSTM 的"
        "遗忘门约为 σ(b)，细胞对第一个词元的记忆在这五十步中每一步都要乘以它，即 σ(b)⁵⁰：σ(2)⁵⁰ ≈ 0.002，σ(3)⁵⁰ ≈ 0.09，"
        "σ(4)⁵⁰ ≈ 0.40（“chrono”初始化取 b ≈ log T，这里 log 50 ≈ 3.9）。GRU 的更新门 z 起同样的作用（在 torch 的 GRU 中，"
        "z 接近 1 表示保留旧状态）：用 torch 自己的小偏置时它一开始约为 σ(0) = 0.5，而 0.5⁵⁰ ≈ 10⁻¹⁵；取 4 时，第一个词元的"
        "痕迹还剩 σ(4)⁵⁰ ≈ 0.40。把遗忘门初始偏置改为 2（竞赛会重新开始），再按“开始”：这次 LSTM 停在随机水平"
        "（1000 次更新后中位数 0.11）；改为 3 时也能学会，只是稍慢（250 次更新后中位数 0.82，500 次后 1.00）。"
        "把更新门初始偏置改为 0，GRU 也停在随机水平（1000 次更新后中位数 0.135）。"),
    "lesson_gated_swiglu": ("SwiGLU vs ReLU at matched parameters", "参数量相同的 SwiGLU 与 ReLU"),
    "lesson_gated_swiglu_watch": (
        "ReLU and SwiGLU blocks with the same number of parameters (about 8,350: SwiGLU has three weight matrices, "
        "so its hidden size is 85 against ReLU's 128; see the table). Press Start and watch the first 250 updates: "
        "SwiGLU is ahead (median test accuracy over seeds 0-4: 0.83 against 0.77). By 2,000 updates ReLU has caught "
        "up and is a hair ahead (0.98 against 0.97): at this size, on this task, the gate buys a head start, not a "
        "better end.",
        "参数量相同的 ReLU 块和 SwiGLU 块（约 8350 个：SwiGLU 有三个权重矩阵，所以隐藏维度是 85，"
        "ReLU 是 128；见表）。按“开始”，观察前 250 次更新：SwiGLU 领先（种子 0–4 的测试准确率中位数 0.83 对 0.77）"
        "。到 2000 次更新时 ReLU 已经追上，还略微领先（0.98 对 0.97）：在这个规模、这个任务上，门控带来的是起步更快，"
        "而不是更好的最终结果。"),
    "sec_cell_formulas": ("The cells' equations (as torch computes them)", "各单元的公式（与 torch 的计算一致）"),
    "cap_cell_formulas": (
        "σ is the logistic function, ⊙ the element-wise product; the weights W and biases b are the layer's own "
        "(torch.nn.RNN, GRU, LSTM). In torch's GRU an update gate zₜ near 1 keeps the old state hₜ₋₁; some "
        "books write hₜ = zₜ ⊙ nₜ + (1 − zₜ) ⊙ hₜ₋₁, where zₜ near 1 overwrites it. An LSTM keeps its "
        "cell state c where the forget gate fₜ is near 1 and the input gate iₜ near 0.",
        "σ 是 sigmoid 函数，⊙ 是逐元素乘积；W 和 b 是该层自己的权重和偏置（torch.nn.RNN、"
        "GRU、LSTM）。在 torch 的 GRU 中，更新门 zₜ 接近 1 时保留旧状态 hₜ₋₁；有些书写作 hₜ = zₜ ⊙ nₜ + (1 − zₜ) ⊙ hₜ₋₁，"
        "那里 zₜ 接近 1 表示覆盖旧状态。LSTM 在遗忘门 fₜ 接近 1、输入门 iₜ 接近 0 时保留细胞状态 c。"),
    "w_heatmap_of": ("Gates of", "查看哪个模型的门"),
    "help_heatmap_of": ("Whose gate values the heatmap shows.", "热力图显示哪个模型的门值。"),
    "gates_need_training": ("Press Step or Start: the gates are measured as the models train.",
                            "按“单步”或“开始”：门值要在模型训练过程中测量。"),
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
                           "在探针样本上，每个区间内的门值占该模型全部门值的比例；图例给出 |值| < {tolerance}（门关闭）的比例。"),
    "cap_hidden_histogram": ("Share of a model's hidden-state values in each bin, over the probe examples; the legend "
                             "gives the share with |value| < {tolerance} (a unit near zero).",
                             "在探针样本上，每个区间内的隐藏状态值占该模型全部隐藏状态值的比例；图例给出 |值| < {tolerance}"
                             "（接近零的单元）的比例。"),
    "chart_gate_heatmap": ("Gate values of {name}", "{name} 的门值"),
    "cap_gate_heatmap": ("f(W₁x) for the first probe examples (rows) and every hidden unit (columns): blue opens, "
                         "orange flips the sign, white closes.",
                         "前几个探针样本（行）在每个隐藏单元（列）上的 f(W₁x)：蓝色为打开，橙色为反号，白色为关闭。"),
    "w_rnn_hidden": ("Hidden size", "隐藏维度"),
    "help_rnn_hidden": ("Units of the recurrent layer (and of the token embedding).", "循环层（及词元嵌入）的单元数。"),
    "w_forget_bias": ("Forget-gate bias at start", "遗忘门初始偏置"),
    "help_forget_bias": (
        "The LSTM's forget gate is f = σ(W x + U h + b); the cell keeps f × its old content each step. With b near 0 "
        "(0 here keeps torch's own small random biases) f starts near ½ and the memory halves every step, so what "
        "came 20 steps earlier is all but gone before training can learn to keep it. A bias of 2 starts f at "
        "σ(2) ≈ 0.88: the cell keeps its content by default and learns what to drop (Gers et al. 2000; Jozefowicz "
        "et al. 2015 use 1). Links made before this setting existed train with 0, as they did then.",
        "LSTM 的遗忘门为 f = σ(W x + U h + b)，细胞每一步保留旧内容的 f 倍。b 接近 0 时（此处 0 表示保留 torch "
        "自己的小随机偏置），f 起初约为 ½，记忆每步减半，20 步以前的内容在训练学会保留它之前就几乎消失了。偏置取 2 "
        "时 f 起初为 σ(2) ≈ 0.88：细胞默认保留内容，再学习该丢弃什么（Gers 等，2000；Jozefowicz 等，2015 取 1）。"
        "在有此设置之前生成的链接按 0 训练，与当时一致。"),
    "w_update_bias": ("Update-gate bias at start", "更新门初始偏置"),
    "help_update_bias": (
        "The GRU's update gate is z = σ(W x + U h + b), and in torch's GRU the new state is (1 − z) × the candidate "
        "+ z × the old state: z near 1 keeps the old state. With b near 0 (0 here keeps torch's own small random "
        "biases) z starts near ½, and what the first token left in the state is multiplied by σ(b) at each of the "
        "T steps, σ(b)ᵀ: 0.5⁵⁰ ≈ 10⁻¹⁵ at T = 50. A bias of 4 starts z at σ(4) ≈ 0.98 and σ(4)⁵⁰ ≈ 0.40 survives: "
        "the GRU keeps its state by default and learns what to overwrite. Links made before this setting existed "
        "train with 0, as they did then.",
        "GRU 的更新门为 z = σ(W x + U h + b)；在 torch 的 GRU 中，新状态 = (1 − z) × 候选状态 + z × 旧状态："
        "z 接近 1 表示保留旧状态。b 接近 0 时（此处 0 表示保留 torch 自己的小随机偏置），z 起初约为 ½，"
        "第一个词元留在状态中的内容在 T 步中每一步都要乘以 σ(b)，即 σ(b)ᵀ：T = 50 时 0.5⁵⁰ ≈ 10⁻¹⁵。偏置取 4 时 "
        "z 起初为 σ(4) ≈ 0.98，σ(4)⁵⁰ ≈ 0.40 得以保留：GRU 默认保留状态，再学习该覆盖什么。"
        "在有此设置之前生成的链接按 0 训练，与当时一致。"),
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
                      "每行是一个时间步（最上方是第一个词元），每列是一个隐藏单元。遗忘门接近 1 表示保留记忆；更新门接近 1 表示保留旧状态。"),
    "chart_acc_by_length": ("Accuracy at other sequence lengths", "在其他序列长度上的准确率"),
    "cap_acc_by_length": ("The trained models on fresh test sequences of other lengths (same task and vocabulary).",
                          "训练好的模型在其他长度的新测试序列上的表现（任务和词表不变）。"),
    "chart_grad_by_step": ("Gradient reaching each time step", "到达每个时间步的梯度"),
    "cap_grad_by_step": ("‖∂L/∂xₜ‖ for each step's input, on the probe batch (log scale): in a plain RNN it fades "
                         "towards the first steps — the vanishing gradient.",
                         "在探针批次上，每个时间步输入的 ‖∂L/∂xₜ‖（对数刻度）：在普通 RNN 中，它越往前面几步越弱——这就是梯度消失。"),
}
