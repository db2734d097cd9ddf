from ffnviz.ui.shell import home, require_app_shell

require_app_shell()
home()
