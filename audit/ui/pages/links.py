"""Page script (see `audit.ui.links`): kept thin on purpose."""

from audit.ui import links

links.render()
