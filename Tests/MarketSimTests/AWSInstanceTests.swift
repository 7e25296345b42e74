import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MarketSim

@Suite("EC2 instances")
struct AWSInstanceTests {
    static func call(_ form: String, _ client: some TestClientProtocol) async throws -> String {
        text(
            try await client.execute(uri: "/aws/us-east-1/", method: .post, headers: awsHeaders, body: jsonBody(form))
                .body)
    }

    static let describeTagged =
        "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag-key&Filter.1.Value.1=gridbroker-node"

    @Test("RunInstances up to the zone's capacity, then InsufficientInstanceCapacity; terminate frees it")
    func roundTrip() async throws {
        let clock = ManualClock(now: referenceDate)
        let simulator = makeSimulator(clock: clock)
        try await withClient(simulator) { client in
            let (type, zone, capacity) = Launch.awsSeries(simulator)
            var ids: [String] = []
            for index in 0..<capacity {
                let response = try await Launch.aws(type, zone: zone, node: "n\(index)", client)
                #expect(response.status == .ok)
                let xml = text(response.body)
                #expect(xml.contains("<RunInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"))
                #expect(xmlValues("name", in: xml) == ["pending"])
                #expect(xmlValues("availabilityZone", in: xml) == [zone])
                #expect(xmlValues("value", in: xml) == ["n\(index)", "gridbroker-n\(index)"])
                ids += xmlValues("instanceId", in: xml)
            }
            #expect(ids.allSatisfy { AWSInstances.isInstanceID($0) && $0.count == 19 })
            let refused = try await Launch.aws(type, zone: zone, node: "over", client)
            #expect(refused.status == .badRequest)
            #expect(xmlValues("Code", in: text(refused.body)) == ["InsufficientInstanceCapacity"])

            clock.advance(by: 30)
            let described = try await Self.call(Self.describeTagged, client)
            #expect(xmlValues("instanceId", in: described) == ids)
            #expect(Set(xmlValues("name", in: described)) == ["running"])

            let terminate = "Action=TerminateInstances&Version=2016-11-15&InstanceId.1=\(ids[0])"
            let terminated = try await Self.call(terminate, client)
            #expect(xmlValues("currentState", in: terminated).first?.contains("<name>shutting-down</name>") == true)
            #expect(xmlValues("previousState", in: terminated).first?.contains("<name>running</name>") == true)
            clock.advance(by: 10)
            let after = try await Self.call(
                Self.describeTagged + "&Filter.2.Name=instance-state-name&Filter.2.Value.1=terminated", client)
            #expect(xmlValues("instanceId", in: after) == [ids[0]])
            #expect(try await Launch.aws(type, zone: zone, node: "again", client).status == .ok)
            // Terminating again is harmless; an unknown id is InvalidInstanceID.NotFound.
            #expect(
                xmlValues("currentState", in: try await Self.call(terminate, client)).first?.contains("terminated")
                    == true)
            let unknown = try await Self.call("Action=TerminateInstances&InstanceId.1=i-0123456789abcdef0", client)
            #expect(xmlValues("Code", in: unknown) == ["InvalidInstanceID.NotFound"])
        }
    }

    @Test("the same ClientToken gives the same instance, not a second one")
    func idempotent() async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            let (type, zone, _) = Launch.awsSeries(simulator)
            let first = try await Launch.aws(type, zone: zone, node: "n1", token: "n1", client)
            let second = try await Launch.aws(type, zone: zone, node: "n1", token: "n1", client)
            #expect(xmlValues("instanceId", in: text(first.body)) == xmlValues("instanceId", in: text(second.body)))
            #expect(try await SimInstances.fetch(client).count == 1)
        }
    }

    @Test("DescribeInstances pages with MaxResults and NextToken, and shows only tagged instances when asked")
    func paging() async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            // An untagged instance, which the tag-key filter leaves out.
            let untagged = try await Self.call(
                "Action=RunInstances&ImageId=ami-1&InstanceType=\(Launch.awsSeries(simulator).type)&MinCount=1&MaxCount=1",
                client)
            #expect(xmlValues("instanceId", in: untagged).count == 1)
            var launched: [String] = []
            for series in simulator.market.aws.series where AWSMarket.zones[series.zone].region == 0 {
                let type = AWSMarket.instanceTypes[series.type].name
                let zone = AWSMarket.zones[series.zone].name
                for _ in 0..<simulator.market.aws.capacity(series) where launched.count < 7 {
                    launched += xmlValues(
                        "instanceId", in: text(try await Launch.aws(type, zone: zone, node: "p", client).body))
                }
            }
            #expect(launched.count == 7)
            let page1 = try await Self.call(Self.describeTagged + "&MaxResults=5", client)
            let token = try #require(xmlValues("nextToken", in: page1).first)
            let page2 = try await Self.call(Self.describeTagged + "&MaxResults=5&NextToken=\(token)", client)
            #expect(xmlValues("nextToken", in: page2).isEmpty)
            #expect(xmlValues("instanceId", in: page1) + xmlValues("instanceId", in: page2) == launched)
            let all = try await Self.call("Action=DescribeInstances", client)
            #expect(xmlValues("instanceId", in: all).count == launched.count + 1)
        }
    }

    @Test("spot below the current price is SpotMaxPriceTooLow; bad requests are EC2 errors")
    func errors() async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            let (type, zone, _) = Launch.awsSeries(simulator)
            let spot = try await Launch.aws(
                type, zone: zone, node: "s",
                extra: "&InstanceMarketOptions.MarketType=spot&InstanceMarketOptions.SpotOptions.MaxPrice=0.0001",
                client)
            #expect(xmlValues("Code", in: text(spot.body)) == ["SpotMaxPriceTooLow"])
            let cases: [(String, String)] = [
                ("Action=RunInstances&InstanceType=\(type)&MinCount=1&MaxCount=1", "MissingParameter"),
                (
                    "Action=RunInstances&ImageId=ami-1&InstanceType=x9.huge&MinCount=1&MaxCount=1",
                    "InvalidParameterValue"
                ),
                (
                    "Action=RunInstances&ImageId=ami-1&InstanceType=\(type)&MinCount=2&MaxCount=1",
                    "InvalidParameterValue"
                ),
                ("Action=TerminateInstances&InstanceId.1=not-an-id", "InvalidInstanceID.Malformed"),
                ("Action=TerminateInstances", "MissingParameter"),
                ("Action=DescribeInstances&Filter.1.Name=bogus&Filter.1.Value.1=x", "InvalidParameterValue"),
            ]
            for (form, code) in cases {
                #expect(xmlValues("Code", in: try await Self.call(form, client)) == [code], "\(form)")
            }
            let unsigned = try await client.execute(
                uri: "/aws/us-east-1/", method: .post, body: jsonBody("Action=DescribeInstances"))
            #expect(unsigned.status == .unauthorized)
            #expect(try await SimInstances.fetch(client).isEmpty)
        }
    }
}
