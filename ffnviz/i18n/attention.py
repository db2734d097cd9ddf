"""The self-attention page. English and 中文, as (English, 中文) pairs."""

TABLE: dict[str, tuple[str, str]] = {
    # self-attention page
    "page_attention": ("Self-attention", "自注意力"),
    "card_attention": (
        "A tiny Transformer learns to reverse, sort or copy a sequence while you watch: each head's attention "
        "map forms live, step by step from Q and K to the softmax.",
        "一个小型 Transformer 当场学习反转、排序或复制序列：每个注意力头的注意力图实时成形，从 Q、K 一步步算到 softmax。"),
    "at_title": ("Self-attention: watch the maps form", "自注意力：看注意力图如何形成"),
    "at_intro": (
        "A small Transformer encoder labels every position of a token sequence. Press **Start** and watch each "
        "head learn where to look: for *reverse* an anti-diagonal, for *copy with an offset* a shifted diagonal, "
        "for *sort* a permutation. Tokens are letters (A, B, …); positions are numbers.",
        "一个小型 Transformer 编码器为词元序列的每个位置给出标签。按“开始”，观察每个注意力头学会该看哪里：“反转”形成反对角线，"
        "“带偏移复制”形成平移的对角线，“排序”形成一个置换。词元用字母（A、B……）表示，位置用数字表示。"),
    "sec_task": ("Task", "任务"),
    "sec_model": ("Model", "模型"),
    "attn_posed_copy_offset": (
        "Input: T tokens. Target: one per position, the token {offset} steps earlier (the first {offset} "
        "positions are not scored).",
        "输入：T 个词元。目标：每个位置一个，即 {offset} 步之前的词元（前 {offset} 个位置不计分）。"),
    "w_offset": ("Offset (steps)", "偏移（步）"),
    "help_offset": ("How many steps back each position copies from.", "每个位置从多少步之前复制词元。"),
    "w_attn_layers": ("Layers", "层数"),
    "help_attn_layers": ("Encoder layers, each self-attention followed by a feedforward block.",
                         "编码器的层数；每层是一个自注意力，后接一个前馈块。"),
    "w_heads": ("Heads per layer", "每层的头数"),
    "help_heads": ("Attention heads in each layer; each head has its own Q, K, V of size `d_model` / heads.",
                   "每层的注意力头数；每个头有自己的 Q、K、V，大小为 `d_model` / 头数。"),
    "w_d_model": ("Width `d_model`", "宽度 `d_model`"),
    "help_d_model": ("The model's width: every token is a vector of this many numbers. Only widths that split "
                     "evenly over the heads are offered.",
                     "模型宽度：每个词元是一个这么多维的向量。只提供能被头数整除的宽度。"),
    "w_positional": ("Positional encoding", "位置编码"),
    "help_positional": (
        "How the model knows where a token is. Without it and without the causal mask, attention treats the "
        "sequence as a bag: every position sees the same keys, so a task that depends on positions (reverse) "
        "cannot be learned. The causal mask alone leaks position — row t averages over exactly t tokens — so a "
        "causal model can still infer where it is.",
        "模型靠什么知道词元的位置。既没有位置编码也没有因果掩码时，注意力把序列当作一袋词元：每个位置看到的键都一样，依赖位置的任务（如反转）"
        "就学不会。因果掩码本身会泄露位置——第 t 行恰好在 t 个词元上取平均——所以因果模型仍能推断出自己所在的位置。"),
    "positional_learned": ("learned", "可学习"),
    "positional_sinusoidal": ("sinusoidal (fixed)", "正弦（固定）"),
    "positional_none": ("none", "无"),
    "w_ffn_variant": ("Feedforward block", "前馈块"),
    "help_ffn_variant": ("The block after each attention, 4·`d_model` wide (a gated one at the same parameter count), "
                         "as on the gated-layers page.",
                         "每个注意力层之后的前馈块，宽 4·`d_model`（门控变体取相同参数量），与“门控层”页面相同。"),
    "w_attention_impl": ("Attention code", "注意力的实现"),
    "help_attention_impl": (
        "ffnviz's own few lines (softmax(QKᵀ/√d_k)·V written out) or PyTorch's `nn.MultiheadAttention`; both "
        "start from the same weights and compute the same numbers.",
        "ffnviz 自己的几行代码（直接写出 softmax(QKᵀ/√d_k)·V）或 PyTorch 的 `nn.MultiheadAttention`；"
        "两者从相同的权重出发，计算结果相同。"),
    "attn_impl_own": ("ffnviz's own", "ffnviz 自己的实现"),
    "attn_impl_torch": ("torch MultiheadAttention", "torch 的 MultiheadAttention"),
    "w_causal": ("Causal mask", "因果掩码"),
    "help_causal": ("A position may attend only to itself and earlier positions, as in a decoder (GPT).",
                    "每个位置只能关注自己和之前的位置，就像解码器（GPT）那样。"),
    "attn_parameters": ("Parameters: {count}.", "参数量：{count}。"),
    "attn_link_not_usable": ("the link describes a model this page cannot show; the default lesson is loaded",
                             "链接描述的模型本页无法显示，已改为载入默认课例"),
    "attn_model": ("Transformer", "Transformer"),
    "attn_caveat": (
        "**Attention weights are not explanations.** A map shows where a head reads from, not why the model "
        "answers as it does: the values it reads, the other heads, the feedforward blocks and the residual "
        "stream all shape the answer, and different weights can give the same predictions.",
        "**注意力权重不是解释。** 注意力图显示一个头从哪里读取信息，而不是模型为什么这样回答："
        "它读取的值、其他头、前馈块和残差流都会影响答案，而且不同的权重也可能给出相同的预测。"),
    "w_example_tokens": ("Example (tokens)", "示例（词元）"),
    "help_example_tokens": ("The sequence whose attention is shown: {length} letters A..{last} (or numbers), "
                            "separated by spaces. Press Enter to apply.",
                            "要查看注意力的序列：{length} 个字母 A..{last}（或数字），用空格分隔，按回车生效。"),
    "attn_bad_example": ("“{text}” is not an example for this task: type {length} letters from A to {last}, "
                         "separated by spaces. The previous example is kept.",
                         "“{text}”不是这个任务的示例：请输入 {length} 个 A 到 {last} 之间的字母，用空格分隔。已保留之前的示例。"),
    "btn_random_example": ("Another", "换一个"),
    "help_random_example": ("Show a random test sequence.", "显示一个随机的测试序列。"),
    "w_pick_layer": ("Layer", "层"),
    "help_pick_layer": ("The layer whose head is enlarged and computed step by step below.",
                        "下方要放大并逐步演示计算的那个头，在哪一层。"),
    "w_pick_head": ("Head", "头"),
    "help_pick_head": ("The head enlarged and computed step by step below (framed in the grid; a click on a map "
                       "of the grid chooses it too).",
                       "下方要放大并逐步演示计算的头（网格中加框显示；在网格中点击一张图也能选中它）。"),
    "attn_no_pictures": ("The model has left the race (its loss is not a number): press Reset.",
                         "模型已退出竞赛（损失不再是有效数值）：请按“重置”。"),
    "row_input": ("input", "输入"),
    "row_target": ("target", "目标"),
    "row_output": ("model's answer", "模型的回答"),
    "row_confidence": ("its probability", "预测概率"),
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
        "Tokens on the axes, top row first. The framed map is enlarged below: click a map to choose it.",
        "行：查询，即“看”的位置；列：它看向的键；每行之和为 1。坐标轴上是词元，最上面一行是第一个位置。"
        "加框的图在下方放大显示：点击一张图即可选中它。"),
    "chart_one_head": ("Layer {layer}, head {head}, and the task's ideal pattern",
                       "第 {layer} 层第 {head} 个头，以及任务的理想模式"),
    "panel_learned": ("learned", "学到的"),
    "panel_ideal": ("ideal", "理想的"),
    "cap_one_head_reverse": (
        "Ideal: position t reads the token at T + 1 − t, an anti-diagonal. One head of one layer often does it "
        "alone; with more layers the work may be split.",
        "理想情况：位置 t 读取位置 T + 1 − t 的词元，形成反对角线。这常常由某一层的某一个头独自完成；层数多时，"
        "这项工作可能分摊到几个头上。"),
    "cap_one_head_sort": (
        "Ideal: position t reads a position holding the t-th smallest token (where tokens repeat, any of them). "
        "Sorting needs comparisons too, so heads rarely match it exactly.",
        "理想情况：位置 t 读取第 t 小的词元所在的位置（词元有重复时，任何一个都行）。排序还需要比较，所以头很少与它完全吻合。"),
    "cap_one_head_copy_offset": (
        "Ideal: position t reads position t − offset, a diagonal shifted down; the first rows have no target.",
        "理想情况：位置 t 读取位置 t − 偏移，形成向下平移的对角线；最前面几行没有目标。"),
    "cap_one_head_find_earlier": (
        "Ideal: position t reads the earlier position holding the same token; a row is empty when the token "
        "is new.",
        "理想情况：位置 t 读取前面出现同一词元的位置；词元第一次出现时，该行为空。"),
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
        "分数是查询行与键行的点积除以 √d_k；打开因果掩码时，掩码遮住未来的位置；softmax 把每一行变成和为 1 的权重；"
        "输出行是值行的加权和。"),
    "chart_entropy": ("Attention entropy per head", "每个头的注意力熵"),
    "entropy_even": ("spread evenly (log T)", "均匀分布（log T）"),
    "entropy_even_causal": ("spread evenly (row t: log t)", "均匀分布（第 t 行：log t）"),
    "cap_entropy": (
        "The mean over probe sequences and query positions of −Σ w log w: 0 when a head looks at one key; "
        "log T when it spreads its attention evenly over all T keys — under the causal mask row t sees only t "
        "keys, so even attention gives log t there, and the reference line is their mean. Watch when each head "
        "becomes sharp.",
        "−Σ w log w 在探针序列和各查询位置上的平均：只看一个键时为 0；把注意力均匀分给全部 T 个键时为 log T——打开因果掩码时，"
        "第 t 行只能看到 t 个键，均匀分配时为 log t，参考线是它们的平均。观察每个头何时变得尖锐。"),
    "chart_position_accuracy": ("Test accuracy at each position", "每个位置的测试准确率"),
    "cap_position_accuracy": (
        "Over the whole test set. With the causal mask, a position can only use tokens at or before it.",
        "在整个测试集上统计。打开因果掩码时，每个位置只能使用它自己及之前的词元。"),
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
        "没有位置编码时，每个位置看起来都一样，注意力图无法指向镜像位置：反转学不会。准确率停在 30% 左右（只能根据出现了哪些词元来猜）"
        "，测试损失甚至上升。把位置编码切换回来，对比一下。"),
    "lesson_attn_causal": ("Causal mask: what a decoder may not see", "因果掩码：解码器看不到什么"),
    "lesson_attn_causal_watch": (
        "With the causal mask a position sees only itself and earlier ones: the maps are empty above the diagonal. "
        "For reverse, the first half of the positions would need the future, so they stay at chance while the "
        "second half is learned (accuracy at each position). Switch the task to copy with an offset: it still works.",
        "打开因果掩码后，每个位置只能看到自己和之前的位置：注意力图在对角线上方为空。对反转任务，前一半位置需要看未来，"
        "因此停在随机水平，而后一半能学会（见每个位置的准确率）。把任务换成“带偏移复制”：它依然可以学会。"),
    "lesson_attn_warmup": ("Warm-up: a rate that fails when constant", "预热：恒定时会失败的学习率"),
    "lesson_attn_warmup_watch": (
        "Adam at 0.1, thirty times this page's usual rate, for 600 updates: the rate rises from 1 % to 100 % over "
        "the first 300 updates, then falls along a cosine (the chart beside the schedule). The Transformer learns to "
        "reverse: test accuracy 1.00 (median of 5 seeds; one of the five stalls near 0.5). Now choose Constant under "
        "the schedule, press Reset and Start: at 0.1 from the first update it stays near 0.4 (in four seeds of five). "
        "When it holds and when not: what rescues the run is a rate that is this large only part of the time — a "
        "cosine decay without warm-up does as well here (1.00), a 100-update warm-up a little less (0.96); at 0.3 "
        "nothing rescues it (about 0.2 with or without warm-up); at the usual 0.003 a constant rate needs no "
        "schedule at all.",
        "Adam 学习率 0.1，是本页常用值的三十倍，共 600 次更新：学习率在前 300 次更新中从 1% 升到 100%，"
        "然后沿余弦下降（见调度旁边的图）。Transformer 学会了反转：测试准确率 1.00（5 个种子的中位数；五个中有一个停在 0.5 左右）"
        "。现在在调度中选择“恒定”，按“重置”，再按“开始”：从第一次更新起就用 0.1，准确率停在 0.4 左右（五个种子中有四个如此）"
        "。何时成立、何时不成立：救回训练的是“只在部分时间用这么大的学习率”——这里不预热、只用余弦退火也同样好（1.00）"
        "，100 次更新的预热略差（0.96）；学习率为 0.3 时什么都救不回来（有无预热都约为 0.2）；而在常用的 0.003 下，"
        "恒定学习率根本不需要调度。"),
    "cap_lr_planned": ("The learning rate at each update over the whole budget, as the schedule lays it out.",
                       "按调度安排，整个预算内每次更新的学习率。"),
}
