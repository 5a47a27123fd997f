"""Page script (see `audit.ui.present`): kept thin on purpose."""

from audit.ui import present

present.render()
