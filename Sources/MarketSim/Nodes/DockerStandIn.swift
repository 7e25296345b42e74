/// The `docker` of `gridbroker sim --exec-nodes`: `docker run [options] IMAGE CMD…` runs CMD on this
/// machine (the image is not pulled) with only the `-e` variables, as a container would see them;
/// `docker kill --signal S NAME` and `docker rm -f NAME` signal it by its container name. Enough for
/// what the node agent asks of docker, and it refuses anything else.
enum DockerStandIn {
    static let script = #"""
        #!/usr/bin/env python3
        """docker for gridbroker sim --exec-nodes: runs an image's command directly on this machine."""
        import os, signal, sys

        state = os.path.join(os.environ.get("GRIDBROKER_HOME") or os.getcwd(), "containers")
        os.makedirs(state, exist_ok=True)

        def pid_of(name):
            try:
                with open(os.path.join(state, name + ".pid")) as file:
                    return int(file.read())
            except (OSError, ValueError):
                return None

        def signal_container(name, number):
            pid = pid_of(name)
            if pid is None:
                return False
            try:
                os.kill(pid, number)
            except ProcessLookupError:
                return False
            return True

        def run(args):
            name, variables = None, {}
            flags = {"--rm", "--init", "-d", "--detach"}
            valued = {"--gpus", "--network", "--ipc", "-v", "--volume", "-w", "--workdir", "--shm-size", "--pull"}
            while args and args[0].startswith("-"):
                option = args.pop(0)
                if option in flags:
                    continue
                if option == "--name":
                    name = args.pop(0)
                elif option in ("-e", "--env"):
                    item = args.pop(0)
                    key, sep, value = item.partition("=")
                    if sep:
                        variables[key] = value
                    elif key in os.environ:
                        variables[key] = os.environ[key]
                elif option in valued:
                    args.pop(0)
                else:
                    sys.exit("docker (gridbroker sim): unsupported option " + option)
            if len(args) < 2:
                sys.exit("docker (gridbroker sim): give an image and a command")
            command = args[1:]
            if name:
                with open(os.path.join(state, name + ".pid"), "w") as file:
                    file.write(str(os.getpid()))
            environment = dict(variables)
            for kept in ("PATH", "HOME", "GRIDBROKER_SIM_NODE", "TMPDIR"):
                if kept in os.environ:
                    environment.setdefault(kept, os.environ[kept])
            workdir = os.environ.get("GRIDBROKER_SIM_WORKDIR")
            if workdir:
                os.chdir(workdir)
            try:
                os.execvpe(command[0], command, environment)
            except OSError as error:
                print("docker (gridbroker sim): cannot run", command[0] + ":", error.strerror, file=sys.stderr)
                sys.exit(127)

        def main(args):
            if not args:
                sys.exit("docker (gridbroker sim): give a command")
            verb, rest = args[0], args[1:]
            if verb == "run":
                run(rest)
            elif verb == "kill":
                number = signal.SIGKILL
                if rest and rest[0] in ("--signal", "-s"):
                    text = rest[1]
                    number = int(text) if text.isdigit() else getattr(signal, text if text.startswith("SIG") else "SIG" + text)
                    rest = rest[2:]
                sys.exit(0 if all(signal_container(name, number) for name in rest) else 1)
            elif verb == "rm":
                names = [item for item in rest if not item.startswith("-")]
                for name in names:
                    if "-f" in rest or "--force" in rest:
                        signal_container(name, signal.SIGKILL)
                    try:
                        os.remove(os.path.join(state, name + ".pid"))
                    except OSError:
                        pass
            else:
                sys.exit("docker (gridbroker sim): unsupported command " + verb)

        main(sys.argv[1:])
        """#
}
