"""Page script (see `audit.ui.waves`): kept thin on purpose."""

from audit.ui import waves

waves.render()
