import Hummingbird

/// Lambda Cloud's instance API: `POST /api/v1/instance-operations/launch`,
/// `GET /api/v1/instances` (and `/api/v1/instances/{id}`) and
/// `POST /api/v1/instance-operations/terminate`. A (type, region) has a few instances' capacity;
/// when they are taken the region leaves `regions_with_capacity_available` and a launch is refused
/// with `instance-operations/launch/insufficient-capacity`.
struct LambdaInstances: Sendable {
    let market: LambdaMarket
    let instances: InstanceRegistry

    func launch(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey() else { return LambdaResponder.unauthorized }
        guard let body = request.jsonObject else { return Self.invalid("The request body is not a JSON object.") }
        guard let typeName = body["instance_type_name"]?.stringValue,
            let type = market.types.first(where: { $0.name == typeName })
        else { return Self.invalid("instance_type_name is missing or not an instance type.") }
        guard let regionName = body["region_name"]?.stringValue,
            let region = LambdaMarket.regions.firstIndex(where: { $0.name == regionName })
        else { return Self.invalid("region_name is missing or not a region.") }
        guard case .array(let keys) = body["ssh_key_names"], !keys.isEmpty,
            keys.allSatisfy({ $0.stringValue?.isEmpty == false })
        else { return Self.invalid("ssh_key_names must name one SSH key.") }
        var quantity = 1
        if let value = body["quantity"] {
            guard let number = value.numberValue, (1...8).contains(number), number == number.rounded() else {
                return Self.invalid("quantity must be a whole number from 1 to 8.")
            }
            quantity = Int(number)
        }

        let capacity = request.refusesLaunches ? 0 : market.capacity(type, region: region, at: time)
        let price = Double(market.priceCents(type, at: time)) / 100
        let outcome = instances.launch(
            .lambda, candidates: [.init(pool: LambdaMarket.pool(type, region: region), capacity: capacity)],
            units: 1, count: quantity, at: time
        ) { _ in
            var instance = SimulatedInstance(
                name: body["name"]?.stringValue ?? "", offer: type.name + ":" + regionName, type: type.name,
                region: regionName, image: body["image"]?["family"]?.stringValue ?? "lambda-stack-22-04",
                pricePerHour: price, tags: keys.compactMap(\.stringValue).map { (key: "ssh_key", value: $0) })
            if let script = body["user_data"]?.stringValue {
                instance.environment = BootScript.environment(script)
                instance.boot = .script(script)
            }
            instance.gpu = LambdaMarket.gpu(type)
            instance.gpus = type.gpus
            return instance
        }
        guard case .launched(let made) = outcome else {
            return LambdaResponder.error(
                .badRequest, "instance-operations/launch/insufficient-capacity",
                "Not enough capacity to fulfill launch request.",
                suggestion: "Choose an instance type with more availability, or try again later.")
        }
        var json = JSONWriter()
        json.raw("{\"data\":{\"instance_ids\":[")
        var first = true
        for instance in made {
            json.separator(&first)
            json.string(instance.id)
        }
        json.raw("]}}")
        return ProviderReply.json(.ok, json)
    }

    func list(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey() else { return LambdaResponder.unauthorized }
        var json = JSONWriter()
        json.raw("{\"data\":[")
        var first = true
        for instance in instances.instances(.lambda, at: time) {
            json.separator(&first)
            write(instance, at: time, to: &json)
        }
        json.raw("]}")
        return ProviderReply.json(.ok, json)
    }

    func get(id: String?, _ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey() else { return LambdaResponder.unauthorized }
        guard let instance = instances.instances(.lambda, at: time).first(where: { $0.id == id }) else {
            return Self.notFound(id ?? "")
        }
        var json = JSONWriter()
        json.raw("{\"data\":")
        write(instance, at: time, to: &json)
        json.raw("}")
        return ProviderReply.json(.ok, json)
    }

    /// Terminates every listed id, or none when one of them is unknown.
    func terminate(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey() else { return LambdaResponder.unauthorized }
        guard case .array(let values) = request.jsonObject?["instance_ids"], !values.isEmpty else {
            return Self.invalid("instance_ids must list at least one instance id.")
        }
        let ids = values.compactMap { if case .string(let id) = $0 { id } else { nil } }
        guard ids.count == values.count else { return Self.invalid("instance_ids must be strings.") }
        let listed = Set(instances.instances(.lambda, at: time).map(\.id))
        if let unknown = ids.first(where: { !listed.contains($0) }) { return Self.notFound(unknown) }
        var json = JSONWriter()
        json.raw("{\"data\":{\"terminated_instances\":[")
        var first = true
        for id in ids {
            guard let change = instances.terminate(.lambda, id: id, at: time) else { continue }
            json.separator(&first)
            write(change.instance, at: time, to: &json)
        }
        json.raw("]}}")
        return ProviderReply.json(.ok, json)
    }

    private func write(_ instance: SimulatedInstance, at time: Double, to json: inout JSONWriter) {
        let phase = instance.phase(at: time)
        json.raw("{\"id\":")
        json.string(instance.id)
        json.raw(",\"name\":")
        if instance.name.isEmpty { json.null() } else { json.string(instance.name) }
        if phase == .running {
            let octet = Int(SplitMix64.key(instance.id) % 250) + 2
            json.raw(",\"ip\":")
            json.string("198.51.100.\(octet)")
            json.raw(",\"private_ip\":")
            json.string("10.19.0.\(octet)")
            json.raw(",\"hostname\":")
            json.string("198-51-100-\(octet).cloud.lambdalabs.com")
        }
        json.raw(",\"status\":")
        switch phase {
        case .booting: json.string("booting")
        case .running: json.string("active")
        case .stopping: json.string("terminating")
        case .terminated: json.string("terminated")
        }
        json.raw(",\"ssh_key_names\":[")
        var first = true
        for tag in instance.tags where tag.key == "ssh_key" {
            json.separator(&first)
            json.string(tag.value)
        }
        json.raw("],\"file_system_names\":[],\"region\":{\"name\":")
        json.string(instance.region)
        json.raw(",\"description\":")
        json.string(LambdaMarket.regions.first { $0.name == instance.region }?.description ?? "")
        json.raw("},\"instance_type\":")
        if let type = market.types.first(where: { $0.name == instance.type }) {
            json.raw("{\"name\":")
            json.string(type.name)
            json.raw(",\"description\":")
            json.string(type.description)
            json.raw(",\"gpu_description\":")
            json.string(type.gpuDescription)
            json.raw(",\"price_cents_per_hour\":")
            json.int(Int((instance.pricePerHour * 100).rounded()))
            json.raw(",\"specs\":{\"vcpus\":")
            json.int(type.vcpus)
            json.raw(",\"memory_gib\":")
            json.int(type.memoryGiB)
            json.raw(",\"storage_gib\":")
            json.int(type.storageGiB)
            json.raw(",\"gpus\":")
            json.int(type.gpus)
            json.raw("}}")
        } else {
            json.null()
        }
        // What can be done to the instance now; lai requires every one of them.
        json.raw(",\"actions\":{")
        var firstAction = true
        for (action, available) in [
            ("migrate", false), ("rebuild", phase == .running), ("restart", phase == .running),
            ("cold_reboot", phase == .running), ("terminate", phase == .booting || phase == .running),
        ] {
            json.separator(&firstAction)
            json.string(action)
            json.raw(":{\"available\":")
            json.bool(available)
            json.raw("}")
        }
        json.raw("},\"is_reserved\":false}")
    }

    /// `GET /api/v1/ssh-keys`: the account's SSH keys. The simulated account has one, and a launch
    /// takes any key name.
    func sshKeys(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey() else { return LambdaResponder.unauthorized }
        return ProviderReply.json(
            .ok,
            text: #"{"data":[{"id":"0920582c7ff041399e34823a0be62549","name":"gridbroker-sim","#
                + #""public_key":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGridbrokerSimulatedMarketKey gridbroker-sim"}]}"#
        )
    }

    private static func invalid(_ message: String) -> ProviderReply {
        LambdaResponder.error(.badRequest, "global/invalid-parameters", message)
    }

    private static func notFound(_ id: String) -> ProviderReply {
        LambdaResponder.error(.notFound, "global/object-does-not-exist", "Specified instance does not exist: \(id)")
    }
}
