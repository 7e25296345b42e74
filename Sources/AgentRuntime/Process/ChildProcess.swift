import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A command started in a process group of its own (so that stopping it reaches everything it
/// started), with standard input from `/dev/null` and its standard output and error read through
/// pipes, line by line.
final class ChildProcess: Sendable {
    let pid: pid_t

    /// Starts `executable` with `arguments` (the first being its name) and exactly `environment`.
    /// `onLine` gets each line it writes, `onExit` its exit code (128 + the signal when a signal
    /// ended it) once the process ended and both its outputs were read to the end, or at most
    /// ``outputGrace`` after it ended (a process it left behind may hold the pipes open).
    init(
        executable: String, arguments: [String], environment: [String: String],
        onLine: @escaping @Sendable (OutputStream, String) -> Void,
        onExit: @escaping @Sendable (Int32) -> Void
    ) throws(ChildProcessError) {
        let output = try Pipe()
        let errors = try Pipe()
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        for fd in [output.read, output.write, errors.read, errors.write] {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        // A process group of its own (its id is the child's pid), and default signal handling:
        // the agent ignores SIGTERM and SIGINT itself, which a child would otherwise inherit.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // And no signal blocked: the thread that spawns may block most (the event loops' do), and a
        // child inherits that mask, which would leave it deaf to SIGTERM.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var child = pid_t()
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(output.write)
        close(errors.write)
        guard status == 0 else {
            close(output.read)
            close(errors.read)
            throw .cannotStart(executable: executable, reason: String(cString: strerror(status)))
        }
        pid = child
        let started = child
        let ending = ProcessEnding(readers: 2, onExit: onExit)
        for (fd, stream) in [(output.read, OutputStream.stdout), (errors.read, .stderr)] {
            BlockingThread.start {
                OutputPump.drain(fd, stream: stream, onLine: onLine)
                ending.readerFinished()
            }
        }
        BlockingThread.start {
            var status: Int32 = 0
            while waitpid(started, &status, 0) == -1 && errno == EINTR {}
            let signal = status & 0x7f
            ending.exited(code: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.outputGrace) { ending.giveUpOnOutput() }
        }
    }

    /// How long after the command ended its output may still be read before its end is reported.
    static let outputGrace: DispatchTimeInterval = .seconds(2)

    /// Sends `signal` to the command alone.
    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Sends `signal` to the command and everything it started (its process group).
    func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }
}

/// Why a command could not start.
enum ChildProcessError: Error, CustomStringConvertible {
    case cannotStart(executable: String, reason: String)
    case noPipe(reason: String)

    var description: String {
        switch self {
        case .cannotStart(let executable, let reason): "cannot start \(executable): \(reason)"
        case .noPipe(let reason): "cannot make a pipe: \(reason)"
        }
    }
}

/// Which of the command's outputs a line came from.
public enum OutputStream: String, Sendable {
    case stdout, stderr
}

/// A pipe's two ends, close-on-exec.
private struct Pipe {
    let read: Int32
    let write: Int32

    init() throws(ChildProcessError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .noPipe(reason: String(cString: strerror(errno))) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        read = fds[0]
        write = fds[1]
    }
}
