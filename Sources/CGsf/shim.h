/* Only the headers used: gsf.h would pull in gsf-libxml.h, and Debian's libxml2 includes the
 * system ICU headers, which clash with the ICU inside Swift's Foundation. */
#include <glib.h>
#include <gsf/gsf-fwd.h>
#include <gsf/gsf-utils.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-output.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-output-stdio.h>

// GObject casts are macros, which Swift cannot call.
static inline GsfInfile *disclose_gsf_as_infile(GsfInput *input) {
    return GSF_INFILE(input);
}

static inline GsfInput *disclose_gsf_infile_as_input(GsfInfile *infile) {
    return GSF_INPUT(infile);
}

static inline void disclose_gsf_unref_input(GsfInput *input) {
    if (input != NULL) g_object_unref(input);
}

static inline void disclose_gsf_unref_infile(GsfInfile *infile) {
    if (infile != NULL) g_object_unref(infile);
}

// Every child of an MSOLE file is an infile; only storages report a child count.
static inline int disclose_gsf_is_storage(GsfInput *input) {
    return input != NULL && GSF_IS_INFILE(input) && gsf_infile_num_children(GSF_INFILE(input)) >= 0;
}

static inline GsfOutput *disclose_gsf_outfile_as_output(GsfOutfile *outfile) {
    return GSF_OUTPUT(outfile);
}

static inline GsfOutfile *disclose_gsf_output_as_outfile(GsfOutput *output) {
    return GSF_OUTFILE(output);
}

static inline void disclose_gsf_unref_output(GsfOutput *output) {
    if (output != NULL) g_object_unref(output);
}

static void disclose_gsf_drop_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

// libgsf reports damaged compound files through g_return_if_fail criticals on stderr before
// returning an error; the caller already turns that error into an exception record.
static inline void disclose_gsf_quiet(void) {
    g_log_set_handler("libgsf:msole", (GLogLevelFlags)(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING), disclose_gsf_drop_log, NULL);
    g_log_set_handler("libgsf", (GLogLevelFlags)(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING), disclose_gsf_drop_log, NULL);
}
