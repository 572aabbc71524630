#ifndef CFOLIOSYSTEM_H
#define CFOLIOSYSTEM_H

/// The `f_type` of the filesystem holding `path` (statfs(2)), or -1 when it cannot be looked
/// at. Swift's Glibc module leaves <sys/statfs.h> out.
long long folio_filesystem_type(const char *path);

#endif
