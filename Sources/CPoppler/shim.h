/* poppler-glib pulls in GLib/GObject and cairo only (no ICU), so no #undef is needed here, unlike
 * CXML2. */
#include <poppler.h>
