import Hummingbird

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Shadeform's instance API, as its published reference has it (docs.shadeform.ai, the OpenAPI
/// spec of March 2026): `POST /v1/instances/create` (answers `{"id"}` only), `GET /v1/instances`
/// and `GET /v1/instances/{id}/info` (instances not yet deleted; `deleting` ones included),
/// `POST /v1/instances/{id}/delete` (an empty 200). A (type, region) has a few instances' capacity;
/// when they are taken its `available` turns false and a create is refused with HTTP 409 (the
/// status and text of that refusal are not documented: an assumption).
struct ShadeformInstances: Sendable {
    let market: ShadeformMarket
    let instances: InstanceRegistry

    func create(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard ShadeformResponder.hasKey(request) else { return ShadeformResponder.unauthorized }
        guard let body = request.jsonObject else {
            return ShadeformResponder.error(.badRequest, "The request body is not a JSON object.")
        }
        let required = ["cloud", "region", "shade_instance_type", "name"]
        if let missing = required.first(where: { body[$0]?.stringValue?.isEmpty ?? true }) {
            return ShadeformResponder.error(.badRequest, "\(missing) is required.")
        }
        guard body["shade_cloud"]?.boolValue != nil else {
            return ShadeformResponder.error(.badRequest, "shade_cloud is required.")
        }
        let cloudName = body["cloud"]?.stringValue ?? ""
        let shadeType = body["shade_instance_type"]?.stringValue ?? ""
        let regionName = body["region"]?.stringValue ?? ""
        guard
            let type = market.types.first(where: {
                ShadeformMarket.clouds[$0.cloud].name == cloudName && $0.shadeInstanceType == shadeType
            })
        else {
            return ShadeformResponder.error(
                .badRequest, "Instance type \(shadeType) is not offered by cloud \(cloudName).")
        }
        let cloud = ShadeformMarket.clouds[type.cloud]
        guard let region = cloud.regions.firstIndex(where: { $0.0 == regionName }) else {
            return ShadeformResponder.error(.badRequest, "Region \(regionName) is not a region of \(cloudName).")
        }
        let capacity = request.refusesLaunches ? 0 : market.capacity(type, region: region, at: time)
        let docker = body["launch_configuration"]?["docker_configuration"]
        let price = Double(market.priceCents(type, at: time)) / 100
        let outcome = instances.launch(
            .shadeform, candidates: [.init(pool: ShadeformMarket.pool(type, region: region), capacity: capacity)],
            units: 1, count: 1, at: time
        ) { _ in
            var instance = SimulatedInstance(
                name: body["name"]?.stringValue ?? "", offer: ShadeformMarket.offerID(type, region: region),
                type: type.shadeInstanceType, region: regionName, cloud: cloudName,
                image: docker?["image"]?.stringValue ?? "", pricePerHour: price)
            let script = body["launch_configuration"]?["script_configuration"]?["base64_script"]?.stringValue
                .flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
            if let script {
                instance.environment = BootScript.environment(script)
                instance.boot = .script(script)
            }
            if case .array(let envs) = docker?["envs"] {
                for env in envs {
                    guard let name = env["name"]?.stringValue, let value = env["value"]?.stringValue else { continue }
                    instance.environment[name] = value
                }
            }
            let gpu = ShadeformMarket.gpus[type.gpu]
            instance.setGPU(named: gpu.type, memoryGB: gpu.memoryGB, count: type.numGPUs)
            return instance
        }
        guard case .launched(let made) = outcome, let instance = made.first else {
            return ShadeformResponder.error(
                .conflict, "Instance type \(shadeType) is out of stock in \(cloudName) \(regionName).")
        }
        var json = JSONWriter()
        json.raw("{\"id\":")
        json.string(instance.id)
        json.raw("}")
        return ProviderReply.json(.ok, json)
    }

    /// The instances the API still shows: every one not yet `deleted`.
    private func shown(at time: Double) -> [SimulatedInstance] {
        instances.instances(.shadeform, at: time).filter { $0.phase(at: time) != .terminated }
    }

    func list(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard ShadeformResponder.hasKey(request) else { return ShadeformResponder.unauthorized }
        var json = JSONWriter()
        json.raw("{\"instances\":[")
        var first = true
        for instance in shown(at: time) {
            json.separator(&first)
            write(instance, at: time, to: &json)
        }
        json.raw("]}")
        return ProviderReply.json(.ok, json)
    }

    func info(id: String?, _ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard ShadeformResponder.hasKey(request) else { return ShadeformResponder.unauthorized }
        guard let instance = shown(at: time).first(where: { $0.id == id }) else {
            return Self.notFound(id)
        }
        var json = JSONWriter()
        write(instance, at: time, to: &json)
        return ProviderReply.json(.ok, json)
    }

    /// Moves the instance to `deleting`; the answer has no body.
    func delete(id: String?, _ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard ShadeformResponder.hasKey(request) else { return ShadeformResponder.unauthorized }
        guard let id, instances.terminate(.shadeform, id: id, at: time) != nil else { return Self.notFound(id) }
        return ProviderReply(status: .ok, contentType: "application/json", body: [])
    }

    private func write(_ instance: SimulatedInstance, at time: Double, to json: inout JSONWriter) {
        let phase = instance.phase(at: time)
        let type = market.types.first {
            ShadeformMarket.clouds[$0.cloud].name == instance.cloud && $0.shadeInstanceType == instance.type
        }
        json.raw("{\"id\":")
        json.string(instance.id)
        json.raw(",\"cloud\":")
        json.string(instance.cloud)
        json.raw(",\"region\":")
        json.string(instance.region)
        json.raw(",\"shade_instance_type\":")
        json.string(instance.type)
        json.raw(",\"cloud_instance_type\":")
        json.string(type?.cloudInstanceType ?? instance.type)
        json.raw(",\"cloud_assigned_id\":")
        json.string(Self.cloudAssignedID(instance))
        json.raw(",\"shade_cloud\":true,\"name\":")
        json.string(instance.name)
        if let type {
            let gpu = ShadeformMarket.gpus[type.gpu]
            json.raw(",\"configuration\":{\"memory_in_gb\":")
            json.int(type.memoryGB)
            json.raw(",\"storage_in_gb\":")
            json.int(type.storageGB)
            json.raw(",\"vcpus\":")
            json.int(type.vcpus)
            json.raw(",\"num_gpus\":")
            json.int(type.numGPUs)
            json.raw(",\"gpu_type\":")
            json.string(gpu.type)
            json.raw(",\"interconnect\":")
            json.string(gpu.sxm ?? "pcie")
            json.raw(",\"nvlink\":")
            json.bool(gpu.sxm != nil && type.numGPUs > 1)
            json.raw(",\"vram_per_gpu_in_gb\":")
            json.int(gpu.memoryGB)
            json.raw(",\"gpu_manufacturer\":\"nvidia\",\"os\":")
            json.string(ShadeformMarket.osOptions[0])
            json.raw("}")
        }
        json.raw(",\"ip\":")
        if phase == .running {
            json.string("203.0.113.\(Int(SplitMix64.key(instance.id) % 250) + 2)")
        } else {
            json.null()
        }
        json.raw(",\"ssh_user\":\"shadeform\",\"ssh_port\":")
        if phase == .running { json.int(22) } else { json.null() }
        json.raw(",\"status\":")
        json.string(Self.status(instance, phase: phase, at: time))
        json.raw(",\"status_details\":\"\",\"cost_estimate\":")
        let billed = max(0, min(time, instance.terminatedAt ?? time) - instance.createdAt) / 3_600
        json.string(String(format: "%.2f", billed * instance.pricePerHour))
        json.raw(",\"hourly_price\":")
        json.int(Int((instance.pricePerHour * 100).rounded()))
        json.raw(",\"created_at\":")
        json.string(Timestamp.iso8601(instance.createdAt))
        json.raw(",\"deleted_at\":")
        if let deleted = instance.terminatedAt { json.string(Timestamp.iso8601(deleted)) } else { json.null() }
        json.raw("}")
    }

    /// `creating`, `pending_provider`, `pending` in thirds of the boot time, then `active`;
    /// `deleting`, then `deleted`.
    private static func status(_ instance: SimulatedInstance, phase: SimulatedInstance.Phase, at time: Double) -> String
    {
        switch phase {
        case .booting:
            let share = (time - instance.createdAt) / max(instance.timings.bootSeconds, 1e-9)
            return share < 1.0 / 3 ? "creating" : share < 2.0 / 3 ? "pending_provider" : "pending"
        case .running: return "active"
        case .stopping: return "deleting"
        case .terminated: return "deleted"
        }
    }

    private static func cloudAssignedID(_ instance: SimulatedInstance) -> String {
        InstanceIDs.uuid(SplitMix64.key("cloud/" + instance.id))
    }

    private static func notFound(_ id: String?) -> ProviderReply {
        ShadeformResponder.error(.notFound, "Instance \(id ?? "") not found.")
    }
}
