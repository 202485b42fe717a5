"""The shell's defaults and help texts, in a module of their own: `barista --help` prints
them, and it must not import aiogram and the whole application to do so."""

from __future__ import annotations

DEFAULT_USER_ID = 1
DEFAULT_NAME = "Alex"
# A valid Russian mobile number (the default PHONE_REGION is RU) that no real person should
# own: what the "share my phone number" button sends unless `--phone` says otherwise.
DEFAULT_PHONE = "+79990000000"

SHELL_HELP_COMMAND = "/shellhelp"
WAIT_USAGE = "usage: /wait <duration>, e.g. /wait 45s, /wait 31m, /wait 2h, /wait 3d, /wait 1h30m"

# Shown by /shellhelp and at the end of `barista shell --help`.
IN_SHELL_HELP = f"""\
in the shell:
  /wait <duration>  move the shell's clock forward: 45s, 31m, 2h, 3d, 1h30m (at most 3650d);
                    message dates, dialogs (a new one after 30m of silence) and the profile
                    see the jump; it lasts until the shell exits
  /quit, /exit      leave (so do Ctrl-D and Ctrl-C)
  {SHELL_HELP_COMMAND:<17} this list; /help is the bot's own help and goes to the bot
  1, 2, …           press a button: the bot's buttons are printed as [1] [2] … under its
                    message; a text button sends its text, "share my phone number" sends
                    your contact (--phone), an inline button sends its callback; a number
                    with no button of that number showing is sent as a message
  \\<text>           send <text> as typed (\\/wait 5m and \\1 reach the bot)
everything else is sent to the bot as the customer's message; when stdin is not a terminal,
each line is echoed as "you> <line>" so the output reads as a transcript"""
