"""Page script (see `audit.ui.data`): kept thin on purpose."""

from audit.ui import data

data.render()
