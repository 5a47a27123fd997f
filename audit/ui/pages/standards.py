"""Page script (see `audit.ui.standards`): kept thin on purpose."""

from audit.ui import standards

standards.render()
