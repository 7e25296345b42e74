import BrokerCore
import Foundation

/// The market page's offer filters, read from its form (the same filters as `GET /v1/offers`;
/// a blank field is no filter): the ``BrokerCore/OfferFilter``, the page, and each field that
/// could not be read, with why.
public struct OfferQuery: Sendable, Equatable {
    public var filter = OfferFilter(sort: .pricePerGPU)
    public var cursor: OfferCursor?
    public var limit = 50
    /// The fields as given, to fill the form again and to build the sort and paging links.
    public var fields: [String: String] = [:]
    /// A field that could not be read, and why: its filter is left out.
    public struct Problem: Sendable, Equatable {
        public var field: String
        public var message: String
    }

    public var errors: [Problem] = []

    public static let names = [
        "gpu", "min_gpus", "min_gpu_memory_gb", "market", "max_price", "country", "region", "provider", "sort",
    ]

    public init(_ form: FormFields, catalog: GPUCatalog) {
        for name in Self.names + ["cursor"] { if let value = form[name] { fields[name] = value } }
        if let gpus = list("gpu") {
            let models = gpus.flatMap { name in
                let matching = catalog.models(matching: name)
                if matching.isEmpty {
                    errors.append(.init(field: "gpu", message: "unknown GPU model or family '\(name)'"))
                }
                return matching.map(\.name)
            }
            filter.gpus = Set(models)
        }
        filter.minGPUs = integer("min_gpus", in: 1...1024)
        filter.minGPUMemoryGB = integer("min_gpu_memory_gb", in: 0...100_000)
        filter.market = choice("market")
        if let text = fields["max_price"] {
            do {
                filter.maxPricePerHour = try Money(parsing: text)
            } catch {
                errors.append(.init(field: "max_price", message: "'\(text)' is not an amount of dollars such as 12.50"))
            }
        }
        if let countries = list("country") {
            let valid = countries.filter { $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isLetter } }
            if valid.count < countries.count {
                errors.append(.init(field: "country", message: "use ISO 3166 alpha-2 codes such as DE"))
            }
            filter.countries = Set(valid.map { $0.uppercased() })
        }
        filter.regions = fields["region"].map { [$0] }
        filter.providers = list("provider").map(Set.init)
        filter.sort = choice("sort") ?? .pricePerGPU
        if let token = fields["cursor"] {
            cursor = OfferCursor(token: token)
            if cursor == nil { errors.append(.init(field: "cursor", message: "is not a page this console gave out")) }
        }
    }

    /// The query string of these filters with `changes` applied (nil removes a field), for links.
    public func query(_ changes: [String: String?]) -> String {
        var values = fields
        for (name, value) in changes { values[name] = value }
        return values.sorted { $0.key < $1.key }.map { "\($0.key)=\(QueryString.encode($0.value))" }.joined(
            separator: "&")
    }

    private func list(_ name: String) -> [String]? {
        fields[name].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    private mutating func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = fields[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            errors.append(
                .init(field: name, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
            return nil
        }
        return value
    }

    private mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String) -> T? where T.RawValue == String {
        guard let text = fields[name] else { return nil }
        guard let value = T(rawValue: text) else {
            let choices = T.allCases.map(\.rawValue).joined(separator: ", ")
            errors.append(.init(field: name, message: "must be one of \(choices)"))
            return nil
        }
        return value
    }

}
