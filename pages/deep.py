from ffnviz.ui.shell import require_app_shell

require_app_shell()

from ffnviz.ui.deep_page import render  # noqa: E402

render()
