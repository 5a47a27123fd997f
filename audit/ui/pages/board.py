"""Page script (see `audit.ui.board`): kept thin on purpose."""

from audit.ui import board

board.render()
