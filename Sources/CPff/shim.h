#include <libpff.h>
