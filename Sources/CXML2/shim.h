#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, so encoding.h would include the system's ICU headers, which
 * clash with the different ICU that Swift's Foundation ships (_FoundationICU) in any module that
 * sees both. Only xmlCharEncodingHandler's private conversion fields depend on it; Swift code
 * never touches that struct by value, so hiding them changes nothing we use. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xmlreader.h>
#include <libxml/globals.h>
