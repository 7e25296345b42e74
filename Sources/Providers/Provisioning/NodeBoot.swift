import Foundation
import NodeAgent

/// What a launch hands the provider so that the node gets its agent, which then runs the job's
/// command and reports to the broker.
///
/// - A virtual machine (EC2 `UserData`, Lambda `user_data`, Shadeform's startup script) boots
///   ``virtualMachineScript(_:)``: it writes the node's spec (broker, token, command, environment,
///   image) to a file only root reads, fetches the agent, checks its SHA-256, and runs it as a
///   service that outlives the script (systemd, else `setsid nohup`). The agent starts the job's
///   container with `docker run` itself.
/// - A container (Vast.ai, RunPod) runs ``containerCommand(_:)`` in the job's image: it fetches the
///   agent the same way and execs `gridbroker-agent run -- <command>`; the broker's URL and the
///   token come in the container's environment (``containerEnvironment(_:)``).
///
/// The token is never on a command line: the download reads it from a variable or from standard
/// input, never from its arguments.
public enum NodeBoot {
    /// The boot script of a virtual machine.
    public static func virtualMachineScript(_ request: LaunchRequest) -> String {
        let spec = NodeSpec(
            broker: request.agent.brokerURL, token: request.agentToken, nodeID: request.nodeID, image: request.image,
            command: request.command, environment: request.environment,
            intervalSeconds: request.agent.heartbeatSeconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // One line of JSON: it cannot hold the heredoc's end marker, which stands on a line alone.
        let json = (try? encoder.encode(spec)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return """
            #!/bin/sh
            # gridbroker node \(request.nodeID): fetch the node agent from the broker, check it, and run it as a
            # service; the agent runs the job's container and reports to the broker.
            set -eu
            umask 077
            home="${GRIDBROKER_HOME:-/var/lib/gridbroker}"
            token=\(ShellWords.quoted(request.agentToken))
            mkdir -p "$home/work"
            cat >"$home/node.json" <<'GRIDBROKER_NODE_SPEC'
            \(json)
            GRIDBROKER_NODE_SPEC
            \(fetchAgent(request.agent))
            set -- "$home/gridbroker-agent" run --spec "$home/node.json" --work-dir "$home/work"
            if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
                cat >/etc/systemd/system/gridbroker-agent.service <<GRIDBROKER_UNIT
            [Unit]
            Description=gridbroker node agent
            Wants=network-online.target
            After=network-online.target docker.service
            [Service]
            ExecStart="$1" run --spec "$home/node.json" --work-dir "$home/work"
            KillMode=mixed
            TimeoutStopSec=60
            [Install]
            WantedBy=multi-user.target
            GRIDBROKER_UNIT
                systemctl daemon-reload
                systemctl start --no-block gridbroker-agent.service
            elif command -v setsid >/dev/null 2>&1; then
                setsid nohup "$@" >"$home/agent.log" 2>&1 </dev/null &
            else
                nohup "$@" >"$home/agent.log" 2>&1 </dev/null &
            fi

            """
    }

    /// The command a container runs: `sh -c <wrapper> gridbroker-node <the job's command>`.
    public static func containerCommand(_ request: LaunchRequest) -> [String] {
        let wrapper = """
            set -eu
            home="${GRIDBROKER_HOME:-${TMPDIR:-/tmp}/gridbroker}"
            token="$GRIDBROKER_AGENT_TOKEN"
            mkdir -p "$home/work"
            \(fetchAgent(request.agent))
            exec "$home/gridbroker-agent" run --work-dir "$home/work" -- "$@"
            """
        return ["sh", "-c", wrapper, "gridbroker-node"] + request.command
    }

    /// The container's environment: the command's, the broker's URL and the node's token.
    public static func containerEnvironment(_ request: LaunchRequest) -> [String: String] {
        request.environment.merging(
            [
                "GRIDBROKER_URL": request.agent.brokerURL, "GRIDBROKER_AGENT_TOKEN": request.agentToken,
                "GRIDBROKER_AGENT_INTERVAL": String(request.agent.heartbeatSeconds),
            ]
        ) { _, own in own }
    }

    /// Shell lines that fetch the agent into `$home/gridbroker-agent` with the token in `$token`,
    /// by the first of curl, wget and python3 that works, and stop the script unless its SHA-256
    /// is `agent.sha256`.
    static func fetchAgent(_ agent: AgentDelivery) -> String {
        """
        url=\(ShellWords.quoted(agent.downloadURL))
        fetch_curl() {
            printf 'header = "Authorization: Bearer %s"\\n' "$token" \\
                | curl -fsSL --retry 10 --retry-delay 3 --retry-connrefused -K - -o "$1" "$url"
        }
        fetch_wget() {
            printf 'header = Authorization: Bearer %s\\n' "$token" >"$home/wgetrc"
            WGETRC="$home/wgetrc" wget -q --tries=10 --waitretry=3 --retry-connrefused -O "$1" "$url" || {
                rm -f "$home/wgetrc"
                return 1
            }
            rm -f "$home/wgetrc"
        }
        fetch_python3() {
            GRIDBROKER_FETCH_TOKEN="$token" python3 -c '
        import os, sys, time, urllib.request
        request = urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + os.environ["GRIDBROKER_FETCH_TOKEN"]})
        for attempt in range(10):
            try:
                with urllib.request.urlopen(request, timeout=60) as answer, open(sys.argv[2], "wb") as out:
                    out.write(answer.read())
                sys.exit(0)
            except Exception as error:
                print("gridbroker: agent download failed:", error, file=sys.stderr)
                time.sleep(3)
        sys.exit(1)
        ' "$url" "$1"
        }
        digest() {
            if command -v sha256sum >/dev/null 2>&1; then
                sha256sum "$1" | cut -d' ' -f1
            elif command -v shasum >/dev/null 2>&1; then
                shasum -a 256 "$1" | cut -d' ' -f1
            else
                python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$1"
            fi
        }
        fetched=""
        for tool in curl wget python3; do
            if command -v "$tool" >/dev/null 2>&1 && "fetch_$tool" "$home/gridbroker-agent.part"; then
                fetched=$tool
                break
            fi
        done
        if [ -z "$fetched" ]; then
            echo "gridbroker: cannot fetch the node agent from $url (with curl, wget or python3)" >&2
            exit 1
        fi
        if [ "$(digest "$home/gridbroker-agent.part")" != \(ShellWords.quoted(agent.sha256)) ]; then
            echo "gridbroker: the node agent from $url is not the one the broker announced (SHA-256)" >&2
            exit 1
        fi
        chmod 755 "$home/gridbroker-agent.part"
        mv -f "$home/gridbroker-agent.part" "$home/gridbroker-agent"
        """
    }
}
