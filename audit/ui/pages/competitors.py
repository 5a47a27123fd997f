"""Page script (see `audit.ui.competitors`): kept thin on purpose."""

from audit.ui import competitors

competitors.render()
