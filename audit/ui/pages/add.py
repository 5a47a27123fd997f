"""Page script (see `audit.ui.add`): kept thin on purpose."""

from audit.ui import add

add.render()
