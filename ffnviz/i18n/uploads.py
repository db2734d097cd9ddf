"""Uploaded CSV files of points (ffnviz/data/upload.py), and the names of the data sets and problems. English and 中文, as (English, 中文) pairs."""

TABLE: dict[str, tuple[str, str]] = {
    # -- uploads (ffnviz/data/upload.py) --
    # Also the names of the new data sets and of the two problems, for the data controls.
    "w_problem": ("Problem", "问题类型"),
    "upload_wrong_type": ("{name} is not a CSV or text file: save the table as CSV UTF-8 (.csv) and upload that.",
                          "{name} 不是 CSV 或文本文件：请把表格另存为 CSV UTF-8（.csv）后再上传。"),
    "problem_classification": ("Classification", "分类"),
    "problem_regression": ("Regression", "回归"),
    "ds_moons": ("Two moons", "双月"),
    "ds_blobs": ("Blobs (k clusters)", "团簇（k 个簇）"),
    "ds_plane": ("Plane", "平面"),
    "ds_multigauss": ("Six Gaussian bumps", "六个高斯峰"),
    "ds_upload": ("Your file", "你的文件"),
    "w_upload": ("Data file (CSV: x₁, x₂, label or target)", "数据文件（CSV：x₁、x₂、标签或目标值）"),
    "help_upload": (
        "A text file with three columns separated by commas: two numeric features and, for a "
        "classification, a label (at most {max_classes} different values, numbers or words), or, for a "
        "regression, a numeric target. A header row is optional. At most {max_rows} rows and {max_kb} KB.",
        "一个用逗号分隔的三列文本文件：两列数值特征；第三列对分类问题是标签（最多 {max_classes} 个不同的值，可以是数字或文字）"
        "，对回归问题是数值目标。表头行可有可无。最多 {max_rows} 行、{max_kb} KB。"),
    "upload_too_big": ("The file is {size_kb} KB; the most this page reads is {max_kb} KB.",
                       "文件大小为 {size_kb} KB，本页最多读取 {max_kb} KB。"),
    "upload_empty": ("The file is empty.", "文件是空的。"),
    "upload_not_text": (
        "The file is not CSV text in UTF-8. Save it as CSV (UTF-8) and upload it again.",
        "该文件不是 UTF-8 编码的 CSV 文本。请另存为 CSV（UTF-8）后重新上传。"),
    "upload_columns": (
        "Row {row} has {found} columns; the file needs exactly 3: two numeric features (x₁, x₂) and a label "
        "or target, with an optional header row.",
        "第 {row} 行有 {found} 列；文件必须恰好有 3 列：两列数值特征（x₁、x₂）和一列标签或目标值，表头行可有可无。"),
    "upload_not_number": ("Row {row}, column {column} ({name}): “{value}” is not a number.",
                          "第 {row} 行第 {column} 列（{name}）：“{value}”不是数字。"),
    "upload_too_many_dropped": (
        "{dropped} of {rows} rows have a missing, NaN or infinite value; at most {max_percent} % may.",
        "{rows} 行中有 {dropped} 行含有缺失值、NaN 或无穷大；最多只允许 {max_percent}% 的行如此。"),
    "upload_too_few_rows": ("Only {rows} usable rows; at least {min} are needed.",
                            "只有 {rows} 行可用；至少需要 {min} 行。"),
    "upload_too_many_rows": ("The file has {rows} data rows; the most is {max}.",
                             "文件有 {rows} 行数据；最多允许 {max} 行。"),
    "upload_one_class": ("Every row has the label “{label}”: a classification needs at least 2 classes.",
                         "每一行的标签都是“{label}”：分类问题至少需要 2 个类别。"),
    "upload_too_many_classes": (
        "The label column has {found} different values; a classification takes at most {max}. "
        "If the third column is a measured value, choose regression.",
        "标签列有 {found} 个不同的值；分类问题最多 {max} 个。如果第三列是测量值，请选择“回归”。"),
    "upload_one_place": ("Every row has x₁ = {x1} and x₂ = {x2}: all the points lie at one place, so no input can "
                         "tell their targets apart.",
                         "每一行都是 x₁ = {x1}、x₂ = {x2}：所有点都在同一个位置，没有哪个输入能把它们的目标区分开。"),
    "upload_constant_target": ("Every row has the target {value}: there is nothing to learn.",
                               "每一行的目标值都是 {value}：没有可学习的内容。"),
    "upload_dropped": ("{dropped} of {rows} rows had a missing, NaN or infinite value and were left out.",
                       "{rows} 行中有 {dropped} 行含缺失值、NaN 或无穷大，已略去。"),
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
        "此链接指向一个上传的文件（{digest}），而链接本身无法携带文件：请重新上传该文件，以复现这次运行。"),
}
