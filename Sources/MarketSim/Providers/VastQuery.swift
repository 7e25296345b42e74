/// A Vast.ai `bundles` search query: field conditions, order, type and limit.
///
/// Accepted as the bare query object (what `vastai search offers` posts), wrapped as
/// `{"q": {...}}` (the newer search endpoint and the `?q=` form of GET), or absent (everything).
/// Unknown fields and operators are ignored rather than rejected.
struct VastQuery {
    enum Operator: String {
        case eq, neq, gt, gte, lt, lte, `in`, notin
    }

    struct Condition {
        var field: VastField
        var op: Operator
        var value: LooseJSON
    }

    var conditions: [Condition] = []
    /// Sort keys, most significant first; ascending when `ascending` is true.
    var order: [(field: VastField, ascending: Bool)] = []
    /// "on-demand" (default), "bid" (interruptible) or "reserved".
    var interruptible = false
    var limit: Int?

    init() {}

    init(json: LooseJSON) {
        var object = json.objectValue ?? [:]
        if let inner = object["q"]?.objectValue {
            object = inner
        }
        for (name, value) in object {
            switch name {
            case "order":
                order = Self.parseOrder(value)
            case "type":
                let type = value.stringValue?.lowercased() ?? "on-demand"
                interruptible = type == "bid" || type == "interruptible"
            case "limit":
                limit = value.numberValue.map { max(0, Int($0)) }
            default:
                guard let field = VastField(queryName: name), let operators = value.objectValue else { continue }
                for (opName, operand) in operators {
                    let normalized = opName == "ne" ? "neq" : opName == "nin" || opName == "not in" ? "notin" : opName
                    guard let op = Operator(rawValue: normalized) else { continue }
                    if case .string(let text) = operand, text.lowercased() == "any" { continue }
                    conditions.append(Condition(field: field, op: op, value: operand))
                }
            }
        }
    }

    private static func parseOrder(_ value: LooseJSON) -> [(field: VastField, ascending: Bool)] {
        guard case .array(let entries) = value else { return [] }
        return entries.compactMap { entry in
            let name: String?
            var ascending = true
            switch entry {
            case .array(let pair):
                name = pair.first?.stringValue
                if pair.count > 1, pair[1].stringValue?.lowercased() == "desc" { ascending = false }
            case .string(let text):
                name = text
            default:
                name = nil
            }
            guard let name, let field = VastField(queryName: name) else { return nil }
            return (field, ascending)
        }
    }

    /// Whether `offer`, priced as `pricing`, meets every condition.
    func matches(_ offer: VastOffer, _ pricing: VastMarket.Pricing) -> Bool {
        for condition in conditions where !Self.test(condition, offer, pricing) {
            return false
        }
        return true
    }

    private static func test(_ condition: Condition, _ offer: VastOffer, _ pricing: VastMarket.Pricing) -> Bool {
        switch condition.field.value(of: offer, pricing) {
        case .number(let number):
            return compare(number, condition.op, condition.value)
        case .bool(let flag):
            let wanted = condition.value.boolValue
            switch condition.op {
            case .eq: return flag == wanted
            case .neq: return flag != wanted
            case .in: return listValues(condition.value).contains { $0.boolValue == flag }
            case .notin: return !listValues(condition.value).contains { $0.boolValue == flag }
            default: return true
            }
        case .text(let text):
            let matchesOne: (LooseJSON) -> Bool = { operand in
                guard let wanted = operand.stringValue else { return false }
                return condition.field.textMatches(text, wanted)
            }
            switch condition.op {
            case .eq: return matchesOne(condition.value)
            case .neq: return !matchesOne(condition.value)
            case .in: return listValues(condition.value).contains(where: matchesOne)
            case .notin: return !listValues(condition.value).contains(where: matchesOne)
            default: return true
            }
        }
    }

    private static func compare(_ number: Double, _ op: Operator, _ operand: LooseJSON) -> Bool {
        if op == .in || op == .notin {
            let found = listValues(operand).contains { $0.numberValue == number }
            return op == .in ? found : !found
        }
        guard let wanted = operand.numberValue else { return true }
        switch op {
        case .eq: return number == wanted
        case .neq: return number != wanted
        case .gt: return number > wanted
        case .gte: return number >= wanted
        case .lt: return number < wanted
        case .lte: return number <= wanted
        case .in, .notin: return true
        }
    }

    private static func listValues(_ value: LooseJSON) -> [LooseJSON] {
        if case .array(let values) = value { return values }
        return [value]
    }
}
