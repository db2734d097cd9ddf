"""The optimizer page: 2-D surfaces, the race, the learning-rate sweep. English and 中文, as (English, 中文) pairs."""

TABLE: dict[str, tuple[str, str]] = {
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
        "先看优化器在能看清全貌的二维曲面上怎样走；再看同样的优化器训练一个真实网络，初始权重和批次完全相同。"),
    "tab_surfaces": ("On 2-D surfaces", "二维曲面"),
    "tab_race": ("Race on a network", "网络上的竞赛"),
    "where_surfaces": ("the 2-D surfaces", "二维曲面"),
    "where_race": ("the race", "竞赛"),
    "caveat_2d": (
        "A caveat: how an optimizer behaves on a 2-D toy surface does not predict how it behaves on a real "
        "network, whose loss has millions of directions. Use these pictures to see what an update rule does, "
        "then compare on the race tab.",
        "需要提醒的是：优化器在二维玩具曲面上的表现，并不能预测它在真实网络上的表现——真实网络的损失有数以百万计的方向。这些图用来看清更新规则做了什么；"
        "要比较优化器，请到“网络上的竞赛”标签页。"),
    "w_surface": ("Surface", "曲面"),
    "help_surface": ("The loss surface f(x, y) the optimizers walk on. Its formula and minima are shown below.",
                     "优化器在其上行走的损失曲面 f(x, y)。它的公式和极小值点显示在下方。"),
    "surf_rosenbrock": ("Rosenbrock (a curved valley)", "Rosenbrock（弯曲的山谷）"),
    "surf_beale": ("Beale", "Beale"),
    "surf_himmelblau": ("Himmelblau (four minima)", "Himmelblau（四个极小值）"),
    "surf_rastrigin": ("Rastrigin (many local minima)", "Rastrigin（许多局部极小值）"),
    "surf_saddle": ("Saddle x² − y²", "鞍面 x² − y²"),
    "surf_ravine": ("Ravine (ill-conditioned quadratic)", "峡谷（病态二次函数）"),
    "surf_booth": ("Booth", "Booth"),
    "w_condition": ("Condition number κ", "条件数 κ"),
    "help_condition": ("How much steeper the ravine is across than along: the ratio of its two curvatures.",
                       "峡谷横向比纵向陡多少倍：两个方向曲率之比。"),
    "w_steps_2d": ("Steps", "步数"),
    "help_steps_2d": ("How many updates each optimizer makes.", "每个优化器走多少步（更新次数）。"),
    "w_start_x": ("Start x", "起点 x"),
    "w_start_y": ("Start y", "起点 y"),
    "help_start_point": ("Where every optimizer starts.", "所有优化器的出发点。"),
    "w_walkers": ("Optimizers", "优化器数量"),
    "help_walkers": ("How many optimizers walk the surface (1 to 6), each with its own settings below.",
                     "在曲面上行走的优化器个数（1 到 6 个），各自的设置在下方。"),
    "surface_minima": ("Minimum at {minima}.", "极小值点：{minima}。"),
    "surface_no_minimum": ("No minimum: the surface falls without end along y.", "没有极小值：曲面沿 y 方向无限下降。"),
    "walker_diverged": ("{name} diverged at step {step}: its path stops there. Try a smaller learning rate.",
                        "{name} 在第 {step} 步发散，路径在此中断。请尝试更小的学习率。"),
    "chart_paths": ("Paths on the surface (contours on a log scale)", "曲面上的路径（等高线为对数刻度）"),
    "cap_paths": (
        "Each colour is one optimizer's path from the start towards a minimum (star). Press play to watch "
        "them move; the slider picks a step. The animation runs in your browser. Click the contour to start "
        "from there.",
        "每种颜色是一个优化器从起点走向极小值（星号）的路径。按“播放”看它们移动，用滑块选择第几步。动画在浏览器中运行。点击等高线图，"
        "优化器就从该处出发。"),
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
    "help_walker": ("Whose step to look at.", "要细看哪个优化器的这一步。"),
    "w_step_index": ("Step", "第几步"),
    "help_step_index": ("Which update to look at.", "查看哪一次更新。"),
    "walker_no_steps": ("This optimizer made no step before it diverged.", "该优化器在发散前没有完成任何一步。"),
    "chart_one_step": ("{name}, step {step}", "{name}，第 {step} 步"),
    "axis_log_loss": ("log₁₀ f", "log₁₀ f"),
    "arrow_point": ("the point before the step", "这一步之前的点"),
    "path_diverged": ("diverged at step {step}", "在第 {step} 步发散"),
    "arrow_gradient": ("−η × gradient", "−η × 梯度"),
    "lesson_surf_ravine100": ("Momentum in a ravine, κ = 100", "峡谷中的动量，κ = 100"),
    "lesson_surf_ravine100_watch": (
        "SGD's rate must stay under 2 (the steep direction's limit), so along the shallow floor it creeps: after "
        "200 steps its loss is still about 2·10⁻⁴. Momentum with the rate and μ that theory gives for κ = 100 "
        "(η ≈ 3.3, μ ≈ 0.67) is at about 10⁻³³ in the same steps. The phase diagram below shows how fast each (η, μ) converges.",
        "SGD 的学习率必须小于 2（陡峭方向的上限），所以沿平缓的谷底只能慢慢爬：200 步后损失仍约为 2·10⁻⁴。动量法用理论为 κ = 100 给出的学习率和 μ（η "
        "≈ 3.3，μ ≈ 0.67），同样的步数内降到约 10⁻³³。下方的相图显示每一组 (η, μ) 收敛得有多快。"),
    "lesson_surf_saddle": ("Escaping a saddle", "逃离鞍点"),
    "lesson_surf_saddle_watch": (
        "All three start a hair off the saddle's ridge (y = 0.01), where the gradient along y is tiny. SGD's step "
        "is proportional to it, so it needs about 230 steps to get away (|y| > 1); momentum piles the small pushes "
        "up and Adam rescales them to about η a step: both leave in under 50.",
        "三个优化器都从离鞍点脊线极近的地方出发（y = 0.01），那里沿 y 方向的梯度很小。SGD 的步长与梯度成正比，"
        "大约需要 230 步才能离开（|y| > 1）；动量法把一次次小推动累积起来，Adam 则把每一步缩放到约 η：两者都不到 50 步就离开了。"),
    "lesson_surf_rastrigin": ("Adam and SGD among many minima", "众多极小值中的 Adam 与 SGD"),
    "lesson_surf_rastrigin_watch": (
        "Adam is often said to escape local minima. Here SGD (0.002), Adam at 0.05 and even Adam at 0.5 all settle "
        "in the same local minimum next to the start, near (3, −3) with f ≈ 17.9, not the global one at (0, 0): an "
        "optimizer follows the local slope, it does not search the surface.",
        "常听说 Adam 能逃出局部极小值。这里 SGD（0.002）、学习率 0.05 的 Adam，甚至学习率 0.5 的 Adam，都停在起点旁边的同一个"
        "局部极小值附近（约 (3, −3)，f ≈ 17.9），而不是 (0, 0) 处的全局极小值：优化器只沿着局部坡度走，并不在整个曲面上搜索。"),
    "lesson_race_seeds": ("Same race, three seeds: how much a single run lies", "同一场竞赛，三个种子：单次运行有多不可靠"),
    "lesson_race_seeds_watch": (
        "The opening race trained from three different initial weights (seeds 0, 1, 2): each curve is the mean, "
        "its band the spread from the worst seed to the best. After 2,000 updates Adam's test accuracy ranges from "
        "about 0.76 to 0.90 and momentum's from 0.64 to 0.81, by the seed alone; seed 1 on its own puts momentum "
        "ahead of Adam, seed 2 puts Adam a quarter ahead. A race run once can crown the wrong winner: compare bands, "
        "not single curves.",
        "页面默认的竞赛，从三组不同的初始权重（种子 0、1、2）训练：每条曲线是平均值，色带是从最差种子到最好种子的范围。2000 次更新后，"
        "仅仅因为种子不同，Adam 的测试准确率就在约 0.76 到 0.90 之间，动量法在 0.64 到 0.81 之间；"
        "只看种子 1，动量法领先 Adam；只看种子 2，Adam 的准确率高出约 0.26。只跑一次的竞赛可能选错赢家：要比较色带，"
        "而不是单条曲线。"),
    "rule_note_adamw": (
        "λ = {rate}: AdamW's own decoupled weight decay, set from the weight-decay regularizer (0, so plain Adam, "
        "under any other regularizer or none).",
        "λ = {rate}：AdamW 自带的解耦权重衰减，取自“解耦权重衰减”正则化的强度（选其他正则化或不用正则化时为 0，"
        "即普通的 Adam）。"),
    "arrow_buffer": ("−η × the optimizer's memory (v or m)", "−η × 优化器的记忆（v 或 m）"),
    "arrow_update": ("the update taken", "实际更新"),
    "cap_one_step": (
        "Arrows from the point before the step, in the plane's units: the step plain gradient descent would "
        "take (−η × gradient), −η × the optimizer's memory when it has one, and the update it actually took. "
        "SGD's momentum buffer v = μv + g is an accumulated sum, not an average: with a steady gradient it grows "
        "to about g/(1 − μ), ten times g at μ = 0.9. Adam's memory is its first moment m, an average, but its "
        "step is not −η·m: m is bias-corrected and divided by √v̂ + ε first.",
        "箭头都从这一步之前的点出发，单位与平面坐标相同：普通梯度下降会走的一步（−η × 梯度）、优化器的记忆乘以 −η（如果有记忆）"
        "，以及实际走的一步更新。SGD 的动量缓冲 v = μv + g 是累加和，而不是平均：梯度稳定时它增长到约 g/(1 − μ)，"
        "μ = 0.9 时约为 g 的 10 倍。Adam 的记忆是一阶矩 m，它是平均值，但 Adam 的一步并不是 −η·m："
        "m 要先做偏差校正，再除以 √v̂ + ε。"),
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
        "shrinks per step (lower is faster; 1 or more never converges: the grey area), from the eigenvalues of the "
        "update matrix. The marker is the first SGD or momentum optimizer above.",
        "仿照 Distill 的文章“Why Momentum Really Works”：每个点表示每走一步，到极小值的距离缩小为原来的多少（越低越快；"
        "大于等于 1 则不收敛，即灰色区域），由更新矩阵的特征值算出。标记是上方第一个 SGD 或动量优化器的设置。"),
    "race_intro": (
        "Every contestant starts from the same initial weights and sees the same batches in the same order: "
        "their curves differ only by what the table says. Add or remove rows (2 to 8).",
        "所有参赛者从相同的初始权重出发，以相同的顺序看到相同的批次：曲线之间的差别只来自表格里的设置。可以增删行（2 到 8 行）"
        "。"),
    "w_units_all": ("Units per layer", "每层单元数"),
    "help_units_all": ("The same number of units in every hidden layer.", "每个隐藏层的单元数相同。"),
    "sec_contestants": ("Contestants", "参赛者"),
    "col_optimizer": ("optimizer", "优化器"),
    "col_lr": ("learning rate", "学习率"),
    "col_hyper": ("hyperparameters", "超参数"),
    "help_race_hyper": ("Overrides of the optimizer's defaults, e.g. `momentum=0.95` or `beta1=0.8, eps=1e-6`.",
                        "覆盖优化器的默认值，例如 `momentum=0.95` 或 `beta1=0.8, eps=1e-6`。"),
    "col_reg": ("regularization", "正则化"),
    "col_reg_rate": ("rate λ", "强度 λ"),
    "help_race_activation": ("\"As the network\" keeps the network's activation.", "“同网络”表示沿用网络的激活函数。"),
    "same_as_network": ("as the network", "同网络"),
    "col_dropout": ("dropout", "Dropout 比例"),
    "help_race_dropout": ("An empty cell (the table shows None) keeps the network's dropout.",
                          "单元格留空（表中显示为 None）表示沿用网络的 Dropout 比例。"),
    "help_race_lr": ("The contestant's learning rate. An empty cell (the table shows None) takes the optimizer's default.",
                     "该参赛者的学习率。单元格留空（表中显示为 None）时使用该优化器的默认学习率。"),
    "race_bad_hyper": ("Cannot read \"{part}\": {name} takes {known} (written name=value).",
                       "无法读取“{part}”：{name} 可设的超参数为 {known}（写成 名称=数值）。"),
    "race_row_needs_optimizer": ("Row {row} needs an optimizer.", "第 {row} 行需要选择优化器。"),
    "w_race_seeds": ("Seeds", "随机种子数"),
    "help_race_seeds": ("Train each contestant from this many seeds at once: the curves show the mean and a "
                        "min-max band. Contestants × seeds is at most {models}.",
                        "每个参赛者同时用这么多个随机种子训练：曲线显示平均值和最小–最大范围带。参赛者数 × 种子数最多为 {models}。"),
    "race_needs_classification": ("the race's data set must be a classification one, not {dataset}",
                                  "竞赛的数据集必须是分类数据集，而不是 {dataset}"),
    "race_contestants_range": ("A race needs {lo} to {hi} contestants (rows).", "竞赛需要 {lo} 到 {hi} 个参赛者（行）。"),
    "w_target_acc": ("Target test accuracy", "目标测试准确率"),
    "help_target_acc": ("The table says after how many updates each contestant first reached it.",
                        "表格显示每个参赛者第一次达到该准确率所用的更新次数。"),
    "step_label_race": ("Step: 1 epoch = {updates} updates, for each of the {contestants} contestants",
                        "单步：{contestants} 个参赛者各训练 1 轮 = {updates} 次更新"),
    "w_smoothing": ("Smoothing", "平滑"),
    "help_smoothing": ("Exponential moving average of the curves (0: raw).", "曲线的指数滑动平均（0 表示原始数据）。"),
    "metric_models": ("Models in the race", "参赛模型数"),
    "help_metric_models": ("Contestants × seeds: every one counts against the server's cap.",
                           "参赛者数 × 种子数：每个模型都占用服务器上限中的一个名额。"),
    "help_race_updates": ("Updates made by each contestant (they step in lockstep).", "每个参赛者完成的更新次数（所有参赛者同步更新）。"),
    "chart_race_loss": ("Loss", "损失"),
    "chart_race_accuracy": ("Accuracy", "准确率"),
    "race_band": ("min–max over seeds", "各种子的最小–最大值"),
    "cap_race_loss": ("Train (solid) and test (dotted) loss of each contestant; with several seeds, the mean "
                      "and a min–max band.", "每个参赛者的训练（实线）与测试（点线）损失；有多个种子时显示平均值和最小–最大范围带。"),
    "cap_race_accuracy": ("Train (solid) and test (dotted) accuracy.", "训练（实线）与测试（点线）准确率。"),
    "col_rank": ("rank", "名次"),
    "col_contestant": ("contestant", "参赛者"),
    "col_train_loss": ("train loss", "训练损失"),
    "col_test_loss": ("test loss", "测试损失"),
    "col_best_acc": ("best test accuracy", "最佳测试准确率"),
    "col_updates_to_target": ("updates to target", "达到目标所需更新数"),
    "col_us_per_update": ("µs per update", "每次更新耗时（微秒）"),
    "col_state": ("state", "状态"),
    "race_running": ("in the race", "竞赛中"),
    "race_diverged_at": ("diverged at update {update}: out", "在第 {update} 次更新时发散：已退出"),
    "cap_race_table": ("Means over seeds. Updates to target: the first evaluated epoch at which the mean test "
                       "accuracy reached {target}. Ranked by who reached it first, then by the best test accuracy, "
                       "then by the test loss; a diverged contestant comes last.",
                       "各种子的平均值。达到目标所需更新数：平均测试准确率首次达到 {target} 的那一轮（按更新次数计）。排名先看谁最先达到目标，"
                       "再看最佳测试准确率，然后看测试损失；发散的参赛者排在最后。"),
    "sec_sweep": ("Learning-rate sweep: where does each optimizer work?", "学习率扫描：每个优化器在哪里有效？"),
    "sweep_intro": (
        "Trains the race's network once per optimizer and learning rate, and plots the training loss after "
        "the chosen number of updates. Runs in the background, one model at a time.",
        "对每个优化器的每个学习率，把竞赛用的网络各训练一次，画出训练到选定更新次数时的训练损失。在后台运行，一次训练一个模型。"),
    "w_sweep_optimizers": ("Optimizers", "优化器"),
    "help_sweep_optimizers": ("Each with its default hyperparameters.", "各自使用默认超参数。"),
    "w_sweep_range": ("Learning rates", "学习率范围"),
    "help_sweep_range": ("The grid runs from the first to the second on a log scale.", "网格从第一个值到第二个值按对数刻度分布。"),
    "w_sweep_points": ("Grid points", "网格点数"),
    "help_sweep_points": ("Learning rates tried per optimizer.", "每个优化器尝试的学习率个数。"),
    "w_sweep_updates": ("Updates per run", "每次运行的更新次数"),
    "help_sweep_updates": ("How long each run trains before its loss is read.", "每次运行训练多久后读取损失。"),
    "help_sweep_seeds": ("Runs per point; the chart shows the median.", "每个点运行的次数；图中显示中位数。"),
    "btn_sweep": ("Run the sweep", "运行扫描"),
    "help_btn_sweep": ("Start the sweep in the background.", "在后台开始扫描。"),
    "btn_sweep_to_race": ("Race the best rates", "用最佳学习率竞赛"),
    "help_sweep_to_race": (
        "Make the race above one contestant per swept optimizer, each at its best learning rate (the star), on the "
        "network the sweep trained. Then press Start in the race.",
        "把上方的竞赛改为：每个扫描过的优化器出一名参赛者，各用自己的最佳学习率（星号），在扫描所用的网络上竞赛。然后到竞赛中按“开始”。"),
    "sweep_raced": ("The race above now runs {rates}: press Start there.", "上方的竞赛已改为 {rates}：请到那里按“开始”。"),
    "sweep_too_few_best": ("A race needs at least {lo} optimizers with a best learning rate; sweep more.",
                           "竞赛至少需要 {lo} 个有最佳学习率的优化器；请扫描更多优化器。"),
    "btn_cancel": ("Cancel", "取消"),
    "help_btn_cancel": ("Stop the sweep; what has finished stays on the chart.", "停止扫描；已完成的结果保留在图上。"),
    "sweep_status_ready": ("Ready", "就绪"),
    "sweep_status_queued": ("Waiting for a free slot on the server…", "正在等待服务器的空闲名额……"),
    "sweep_status_running": ("Running: {percent}", "运行中：{percent}"),
    "sweep_status_cancelled": ("Cancelled at {percent}", "已在 {percent} 时取消"),
    "sweep_status_done": ("Done", "完成"),
    "sweep_status_failed": ("Failed", "失败"),
    "sweep_failed": ("The sweep stopped: {detail}", "扫描中止：{detail}"),
    "sweep_worker_died": ("The process that trained the sweep stopped; what had finished stays on the chart. Press "
                          "“Run the sweep” to start it again.",
                          "训练本次扫描的进程已停止；已完成的结果保留在图上。按“运行扫描”重新开始。"),
    "chart_sweep": ("Training loss after {updates} updates", "{updates} 次更新后的训练损失"),
    "axis_final_loss": ("training loss (log scale)", "训练损失（对数刻度）"),
    "axis_final_loss_median": ("training loss, median over seeds (log scale)", "训练损失，各种子中位数（对数刻度）"),
    "sweep_start_loss": ("loss before training", "训练前的损失"),
    "sweep_diverged": ("diverged", "发散"),
    "sweep_best": ("best", "最佳"),
    "cap_sweep": ("Lower is better; above the dashed line, training made the loss worse. An x at the top marks "
                  "a learning rate at which the run diverged; the star marks each optimizer's best.",
                  "越低越好；在虚线之上，训练反而让损失变大了。顶部的 x 表示该学习率下训练发散；星号标出每个优化器的最佳学习率。"),
}
