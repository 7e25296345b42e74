import BrokerCore
import NodeAgent
import Providers

/// An owner pool's machines as a provider's instance API: a launch places the node on the machine
/// its offer names, and the machine starts the node agent (with the node's own token) at its next
/// heartbeat, exactly as a VM's boot script would; an instance is a node on a machine.
struct PoolProvisioner: InstanceProvisioner {
    let providerID: String
    let machines: PoolMachines

    func launch(_ request: LaunchRequest, transport: any HTTPTransport) async throws(ProviderError)
        -> ProviderInstance
    {
        let spec = NodeSpec(
            broker: request.agent.brokerURL, token: request.agentToken, nodeID: request.nodeID, image: request.image,
            command: request.command, environment: request.environment,
            intervalSeconds: request.agent.heartbeatSeconds)
        return try await machines.launch(offer: request.offer.id, spec: spec)
    }

    func instances(transport: any HTTPTransport) async throws(ProviderError) -> [ProviderInstance] {
        try await machines.instances(pool: providerID)
    }

    func terminate(nativeID: String, transport: any HTTPTransport) async throws(ProviderError) {
        try await machines.terminate(node: nativeID)
    }
}
