/* Debian's libpff-dev declares its libbfio entry points in libpff.h without depending on
 * libbfio-dev, so <libbfio.h> is missing. Those entry points are not used: read the feature
 * header first (it has an include guard) and turn the libbfio part off before libpff.h
 * would include it. */
#include <libpff/features.h>
#undef LIBPFF_HAVE_BFIO
#include <libpff.h>
