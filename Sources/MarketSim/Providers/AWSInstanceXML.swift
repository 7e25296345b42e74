/// EC2's XML for instances: the `item` of an instance in `RunInstances` and `DescribeInstances`
/// answers, and instance state names and codes.
enum AWSInstanceXML {
    /// EC2's state (code, name) for a phase.
    static func state(_ phase: SimulatedInstance.Phase) -> (code: Int, name: String) {
        switch phase {
        case .booting: (0, "pending")
        case .running: (16, "running")
        case .stopping: (32, "shutting-down")
        case .terminated: (48, "terminated")
        }
    }

    static func stateXML(_ element: String, _ phase: SimulatedInstance.Phase) -> String {
        let state = state(phase)
        return "<\(element)><code>\(state.code)</code><name>\(state.name)</name></\(element)>"
    }

    /// One instance `item`.
    static func item(_ instance: SimulatedInstance, launchIndex: Int, at time: Double) -> String {
        let phase = instance.phase(at: time)
        var xml = "<item><instanceId>" + instance.id + "</instanceId><imageId>"
        xml += AWSResponder.escapeXML(instance.image) + "</imageId>" + stateXML("instanceState", phase)
        xml += "<privateDnsName></privateDnsName><dnsName></dnsName><reason></reason>"
        xml += "<amiLaunchIndex>\(launchIndex)</amiLaunchIndex><productCodes/><instanceType>" + instance.type
        xml += "</instanceType><launchTime>" + Timestamp.iso8601(instance.createdAt, milliseconds: true)
        xml += "</launchTime><placement><availabilityZone>" + instance.zone
        xml += "</availabilityZone><groupName></groupName><tenancy>default</tenancy></placement>"
        xml += "<monitoring><state>disabled</state></monitoring>"
        if phase == .running {
            xml += "<ipAddress>192.0.2.\(Int(SplitMix64.key(instance.id) % 250) + 2)</ipAddress>"
        }
        if instance.spot {
            xml += "<instanceLifecycle>spot</instanceLifecycle><spotInstanceRequestId>sir-"
            xml += InstanceIDs.hex(SplitMix64.key("sir/" + instance.id), 8) + "</spotInstanceRequestId>"
        }
        if let token = instance.clientToken {
            xml += "<clientToken>" + AWSResponder.escapeXML(token) + "</clientToken>"
        }
        if instance.tags.isEmpty {
            xml += "<tagSet/>"
        } else {
            xml += "<tagSet>"
            for tag in instance.tags {
                xml += "<item><key>" + AWSResponder.escapeXML(tag.key) + "</key><value>"
                xml += AWSResponder.escapeXML(tag.value) + "</value></item>"
            }
            xml += "</tagSet>"
        }
        return xml + "</item>"
    }

    /// A whole answer: the XML declaration, the `<Action>Response>` element in EC2's namespace with
    /// the request id first, then `body`.
    static func response(_ action: String, requestID: String, _ body: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"" + AWSResponder.namespace
            + "\"><requestId>" + requestID + "</requestId>" + body + "</" + action + "Response>"
    }
}
