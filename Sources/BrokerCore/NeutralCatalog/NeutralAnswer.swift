/// One line of a neutral answers file (`shared/bench`):
///
///     {"id": 3, "answer": {"price": 0.292, "provider": "verda", "instance_type": "1x-v100-6c24g-v13", "region": "ICE-01"}}
///     {"id": 0, "answer": null}
public struct NeutralAnswer: Sendable, Equatable {
    /// The offer that answers a query, by the fields the answers file names it with.
    public struct Match: Sendable, Equatable {
        public var price: Money
        public var provider: String
        public var instanceType: String
        public var region: String

        public init(price: Money, provider: String, instanceType: String, region: String) {
            self.price = price
            self.provider = provider
            self.instanceType = instanceType
            self.region = region
        }
    }

    public var queryID: Int
    /// Nil when no offer matches.
    public var match: Match?

    public init(queryID: Int, match: Match?) {
        self.queryID = queryID
        self.match = match
    }

    /// The answer naming `offer`, an offer read by ``NeutralOffers``.
    public init(queryID: Int, offer: Offer?) {
        self.init(
            queryID: queryID,
            match: offer.map { offer in
                Match(
                    price: offer.pricePerHour, provider: offer.providerID,
                    instanceType: String(NeutralOffers.instanceType(of: offer.id)), region: offer.region)
            })
    }

    /// The answers of a neutral answers file's text, in file order; prices are read exactly.
    public static func parse(_ text: [UInt8]) throws(NeutralCatalogError) -> [Self] {
        try NeutralJSONLines.read(text) { reader, object, _ in
            let id = reader.required("id", of: &object) { $0.integer($1, in: 0...Int.max) }
            let answer = object.take("answer")
            if answer == nil { reader.report("answer", "is required") }
            let match = answer.flatMap { $0.value == .null ? nil : readMatch($0, &reader) }
            guard let id, let answer, answer.value == .null || match != nil else { return nil }
            return Self(queryID: id, match: match)
        }
    }

    /// The answer as one line of an answers file (without the newline); the price is the exact
    /// decimal amount of dollars.
    public var jsonLine: String {
        guard let match else { return #"{"id": \#(queryID), "answer": null}"# }
        let fields = [
            #""price": \#(match.price.decimalString)"#, #""provider": \#(JSONString.quoted(match.provider))"#,
            #""instance_type": \#(JSONString.quoted(match.instanceType))"#,
            #""region": \#(JSONString.quoted(match.region))"#,
        ]
        return #"{"id": \#(queryID), "answer": {\#(fields.joined(separator: ", "))}}"#
    }

    private static func readMatch(_ field: JSONField, _ reader: inout JSONFieldReader) -> Match? {
        guard var object = reader.object(field) else { return nil }
        let price = reader.required("price", of: &object) { $0.positiveMoney($1) }
        let provider = reader.required("provider", of: &object) { $0.text($1) }
        let instanceType = reader.required("instance_type", of: &object) { $0.text($1) }
        let region = reader.required("region", of: &object) { $0.text($1) }
        reader.close(object)
        guard let price, let provider, let instanceType, let region else { return nil }
        return Match(price: price, provider: provider, instanceType: instanceType, region: region)
    }
}
