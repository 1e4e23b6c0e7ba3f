import Foundation

/// A one-node Slurm cluster for a test (NOTES-native: munged, slurmctld and slurmd from Debian's
/// slurm-wlm and munge, as root, without systemd): its own munge socket, config, state, spool, logs
/// and ports under `folder`; the three daemons run in the foreground as this process's children and
/// are stopped by their own PIDs.
public final class SlurmCluster {
    public let folder: String
    public let configuration: String
    private var pids: [pid_t] = []

    /// The environment a client command (sbatch, squeue, scancel, xj sweep …) needs to reach this cluster.
    public var environment: [String: String] { ["SLURM_CONF": configuration] }

    public enum Failure: Error, CustomStringConvertible {
        case missing(String)
        case notReady(String)
        public var description: String {
            switch self {
            case let .missing(program): return "\(program) is not installed; scripts/install-test-tools installs slurm-wlm and munge"
            case let .notReady(log): return "the Slurm node did not become idle; slurmctld's log ends: \(log)"
            }
        }
    }

    /// Starts the daemons and waits (at most 30 s) until `sinfo` shows the node idle.
    public init(folder: String) throws {
        for program in ["/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch"] where !FileManager.default.isExecutableFile(atPath: program) {
            throw Failure.missing(program)
        }
        self.folder = folder
        configuration = folder + "/slurm.conf"
        for sub in ["state", "spool"] { try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true) }
        chmod(folder, 0o755)
        let host = try BuiltBinary.run("/bin/hostname", ["-s"], in: "/").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let memory = max(1024, Int(ProcessInfo.processInfo.physicalMemory / 1_048_576) / 2)
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        let controllerPort = Int.random(in: 30_000...40_000), nodePort = controllerPort + 1
        let socketPath = folder + "/munge.socket"
        let text = """
        ClusterName=xjtest
        SlurmctldHost=\(host)
        SlurmUser=root
        SlurmdUser=root
        AuthType=auth/munge
        AuthInfo=socket=\(socketPath)
        CredType=cred/munge
        SlurmctldPort=\(controllerPort)
        SlurmdPort=\(nodePort)
        StateSaveLocation=\(folder)/state
        SlurmdSpoolDir=\(folder)/spool
        SlurmctldPidFile=\(folder)/slurmctld.pid
        SlurmdPidFile=\(folder)/slurmd.pid
        SlurmctldLogFile=\(folder)/slurmctld.log
        SlurmdLogFile=\(folder)/slurmd.log
        ProctrackType=proctrack/linuxproc
        TaskPlugin=task/none
        SelectType=select/cons_tres
        SelectTypeParameters=CR_Core
        ReturnToService=2
        JobAcctGatherType=jobacct_gather/none
        MpiDefault=none
        SchedulerParameters=sched_interval=1
        MinJobAge=600
        NodeName=\(host) CPUs=\(cpus) RealMemory=\(memory) State=UNKNOWN
        PartitionName=debug Nodes=\(host) Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES

        """
        try text.write(toFile: configuration, atomically: true, encoding: .utf8)
        let quiet: [Int32: (String, Int32)] = [1: (folder + "/daemons.out", O_WRONLY | O_CREAT | O_APPEND), 2: (folder + "/daemons.out", O_WRONLY | O_CREAT | O_APPEND)]
        let environment = ProcessInfo.processInfo.environment.merging(["SLURM_CONF": configuration]) { $1 }.map { "\($0.key)=\($0.value)" }
        let daemons = [["/usr/sbin/munged", "-F", "--force", "--socket=\(socketPath)", "--pid-file=\(folder)/munged.pid",
                        "--log-file=\(folder)/munged.log", "--seed-file=\(folder)/munged.seed"],
                       ["/usr/sbin/slurmctld", "-D", "-f", configuration],
                       ["/usr/sbin/slurmd", "-D", "-f", configuration]]
        for (index, daemon) in daemons.enumerated() {
            guard let pid = Spawn.start(daemon, streams: quiet, environment: environment) else { stop(); throw Failure.missing(daemon[0]) }
            pids.append(pid)
            if index == 0 {
                let deadline = Date().addingTimeInterval(10)
                while !FileManager.default.fileExists(atPath: socketPath) && Date() < deadline { usleep(50_000) }
            }
        }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let shown = try? run("/usr/bin/sinfo", ["-h", "-o", "%t"]), shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "idle" { return }
            usleep(250_000)
        }
        let log = (try? String(contentsOfFile: folder + "/slurmctld.log", encoding: .utf8)).map { String($0.suffix(400)) } ?? "(no log)"
        stop()
        throw Failure.notReady(log)
    }

    /// Runs a Slurm client (or xj) against this cluster.
    public func run(_ program: String, _ arguments: [String], in directory: String = "/") throws -> ProcessResult {
        try BuiltBinary.run(program, arguments, in: directory, environment: environment)
    }

    /// Waits until no job of this cluster is pending or running (at most `timeout` seconds).
    /// - Returns: whether the queue emptied in time.
    @discardableResult
    public func waitUntilIdle(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let queue = try? run("/usr/bin/squeue", ["-h"]), queue.status == 0, queue.stdout.isEmpty { return true }
            usleep(250_000)
        }
        return false
    }

    /// Stops slurmd, slurmctld and munged by their PIDs (SIGTERM, then SIGKILL after 5 s) and reaps them.
    public func stop() {
        for pid in pids.reversed() {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            let deadline = Date().addingTimeInterval(5)
            while waitpid(pid, &status, WNOHANG) == 0 {
                if Date() > deadline { kill(pid, SIGKILL); waitpid(pid, &status, 0); break }
                usleep(50_000)
            }
        }
        pids = []
    }

    deinit { stop() }
}
