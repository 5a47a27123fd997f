"""Page script (see `audit.ui.welcome`): kept thin on purpose."""

from audit.ui import welcome

welcome.render()
