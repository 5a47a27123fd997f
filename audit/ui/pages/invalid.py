"""Page script (see `audit.ui.invalid`): kept thin on purpose."""

from audit.ui import invalid

invalid.render()
