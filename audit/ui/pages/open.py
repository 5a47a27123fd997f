"""Page script (see `audit.ui.open`): kept thin on purpose."""

from audit.ui import open

open.render()
