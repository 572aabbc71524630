#include "CFolioSystem.h"

#if defined(__linux__)
#include <sys/vfs.h>

long long folio_filesystem_type(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    return (long long)info.f_type;
}
#else
long long folio_filesystem_type(const char *path) {
    (void)path;
    return -1;
}
#endif
