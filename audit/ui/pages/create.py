"""Page script (see `audit.ui.create`): kept thin on purpose."""

from audit.ui import create

create.render()
