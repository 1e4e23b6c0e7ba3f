import Foundation
import CKernels
import Training
import XJCommands

// OpenBLAS chose its kernels when it loaded; when they are generic although the CPU supports better
// ones (a model it does not know), start again with OPENBLAS_CORETYPE naming them (Decisions/0011).
// XJ_BLAS_CHOSEN marks the second start, so this happens at most once; a user's OPENBLAS_CORETYPE is kept.
let environment = ProcessInfo.processInfo.environment
if environment["OPENBLAS_CORETYPE"] == nil, environment["XJ_BLAS_CHOSEN"] == nil,
   let core = BLASKernel.preferredCore(over: BLASKernel.current.core, features: BLASKernel.cpuFeatures()) {
    setenv("OPENBLAS_CORETYPE", core, 1)
    setenv("XJ_BLAS_CHOSEN", core, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
}
// Training allocates and frees the same large buffers at every batch (an LSTM's gate matrix is 13 MB
// per layer). glibc handed freed memory back to the kernel, and the next batch faulted every page
// back in, zeroed: 4 of 33 CPU-seconds of an LSTM run went to the kernel.
xj_keep_freed_memory()
exit(XJMain.run(Array(CommandLine.arguments.dropFirst())))
