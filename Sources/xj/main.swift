import Foundation
import XJCommands

exit(XJMain.run(Array(CommandLine.arguments.dropFirst())))
