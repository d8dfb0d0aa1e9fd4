"""The browser tests' server: the product's settings (DEBUG on, as `DEBUG=1 make run`), but static
files served as with DEBUG off: listed once when the server starts and cached by the browser for an
hour. With DEBUG's defaults WhiteNoise looks each file up through the finders on every request and
sends `max-age=0`, so chromium asked again for the ~10 files of every page it loaded (about 3,300
`304 Not Modified` answers in one run of the browser tests)."""

from secoop.settings import *  # noqa: F403

WHITENOISE_AUTOREFRESH = False
WHITENOISE_MAX_AGE = 3600
