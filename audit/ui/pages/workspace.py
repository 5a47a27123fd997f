"""Page script (see `audit.ui.workspace`): kept thin on purpose."""

from audit.ui import workspace

workspace.render()
