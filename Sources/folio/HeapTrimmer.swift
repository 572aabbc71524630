#if canImport(Glibc)
    import Glibc
#endif

/// Gives the C heap's free memory back to the system ten times a second. Content streams
/// through buffers of half a MiB that glibc keeps once freed (in the middle of its heaps,
/// where its own trimming never reaches): after 50 connections downloading 10 MiB files
/// ~300 MiB stayed resident, all of it free memory that one `malloc_trim` returned at once.
/// It does not bound the peak during a burst (a fixed mmap threshold would, at half the
/// GetFile rate); it stops idle memory from staying at the burst's peak. Trimming is cheap
/// when there is nothing to give back.
enum HeapTrimmer {
    static func run(every period: Duration = .milliseconds(100)) async {
        #if canImport(Glibc)
            // glibc's <malloc.h> is not part of the Glibc module: look the function up.
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
            let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
            while !Task.isCancelled {
                try? await Task.sleep(for: period)
                _ = trim(0)
            }
        #endif
    }
}
