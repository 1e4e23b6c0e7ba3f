import Foundation
import CKernels
import Training
import XJCommands

// OpenBLAS is loaded on the first matrix product, not at start (Sources/CBLAS). When the kernels it
// picks then are generic although the CPU supports better ones (a model it does not know), it is
// loaded again with OPENBLAS_CORETYPE naming them (Decisions/0011); a user's OPENBLAS_CORETYPE is kept.
BLASKernel.chooseKernelsWhenLoaded()
// Training allocates and frees the same large buffers at every batch (an LSTM's gate matrix is 13 MB
// per layer). glibc handed freed memory back to the kernel, and the next batch faulted every page
// back in, zeroed: 4 of 33 CPU-seconds of an LSTM run went to the kernel.
xj_keep_freed_memory()
exit(XJMain.run(Array(CommandLine.arguments.dropFirst())))
