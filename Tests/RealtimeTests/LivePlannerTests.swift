import EmporiumCore
import FanOut
import GraphQL
import GraphQLSupport
import Identity
@testable import Realtime
import Testing

/// Subscriptions become the gateway queries that answer their events.
@Suite struct LivePlannerTests {
    let planner = LivePlanner()
    let buyer = Principal(userID: UserID("buyer-1"), roles: [.buyer])
    let product = "7f1c4c2e-3b6a-4c59-9a58-2d1f0a7e6b11"

    func plan(_ query: String, _ variables: [String: Map] = [:], as principal: Principal? = nil, operation: String? = nil) throws(PlanningRefusal) -> LivePlan {
        guard case .live(let plan) = try planner.plan(.init(query: query, operationName: operation, variables: variables), principal: principal) else {
            throw PlanningRefusal("not a subscription")
        }
        return plan
    }

    func refusal(_ query: String, _ variables: [String: Map] = [:], as principal: Principal? = nil) -> PlanningRefusal? {
        do {
            _ = try planner.plan(.init(query: query, variables: variables), principal: principal)
            return nil
        } catch {
            return error
        }
    }

    @Test func aProductSubscriptionReadsTheProductWithTheSubscribersSelection() throws {
        let plan = try plan(#"subscription { productChanged(id: "\#(product.uppercased())") { title price { amount } } }"#)
        #expect(plan.channel == "product:\(product)")
        #expect(plan.field.subject == .product)
        #expect(plan.responseKey == "productChanged")
        #expect(plan.query == "query Live($emporiumLiveId: ID!) { productChanged: product(id: $emporiumLiveId) {\n  title\n  price {\n    amount\n  }\n} }")
        #expect(plan.request(for: product).variables == ["emporiumLiveId": .string(product)])
    }

    @Test func aliasesFragmentsAndVariablesTheSelectionUsesAreKept() throws {
        let plan = try plan("""
            subscription Watch($id: ID!, $withPrice: Boolean!) {
              live: stockChanged(productId: $id) { ...Stock available @include(if: $withPrice) }
            }
            fragment Stock on StockLevel { onHand }
            """, ["id": .string(product), "withPrice": true])
        #expect(plan.responseKey == "live")
        #expect(plan.channel == "product:\(product)")
        #expect(plan.query.hasPrefix("query Live($withPrice: Boolean!, $emporiumLiveId: ID!) { live: stock(productId: $emporiumLiveId) {"))
        #expect(plan.query.hasSuffix("fragment Stock on StockLevel {\n  onHand\n}"))
        // $id named the channel; the query no longer uses it.
        #expect(plan.variables == ["withPrice": true])
    }

    @Test func notificationsAreTheCallersOwnAndMayResume() throws {
        let plan = try plan("subscription { notificationAdded(since: 41) { id title } }", as: buyer)
        #expect(plan.channel == "user:buyer-1")
        #expect(plan.since == 41)
        #expect(plan.replayQuery == "query Live($emporiumSince: Int!) { notificationAdded: notificationsSince(since: $emporiumSince, first: 100) { emporiumOffset: offset \n  id\n  title\n} }")
        #expect(refusal("subscription { notificationAdded { id } }")?.code == "UNAUTHENTICATED")
        #expect(refusal("subscription { notificationAdded(since: -1) { id } }", as: buyer)?.code == "BAD_USER_INPUT")
    }

    @Test func theSameSelectionIsTheSameKeyWhoeverSubscribes() throws {
        let one = try plan(#"subscription { productChanged(id: "\#(product)") { title } }"#)
        let two = try plan(#"subscription($p: ID!) { productChanged(id: $p) { title } }"#, ["p": .string(product)], as: buyer)
        #expect(one.key == two.key)
        #expect(try plan(#"subscription { productChanged(id: "\#(product)") { slug } }"#).key != one.key)
    }

    @Test func queriesAndMutationsRunOnce() throws {
        guard case .single(let request) = try planner.plan(.init(query: "{ me { id } }"), principal: buyer) else {
            Issue.record("a query was planned as a subscription")
            return
        }
        #expect(request.query == "{ me { id } }")
    }

    @Test func whatCannotBeFollowedIsRefusedWithAReason() {
        #expect(refusal("subscription { productChanged(id: \"x\") { title } stockChanged(productId: \"x\") { available } }")?.message.contains("exactly one top level field") == true)
        #expect(refusal("subscription { everything { id } }")?.message.contains("Cannot subscribe to \"everything\"") == true)
        #expect(refusal(#"subscription { productChanged(id: "not-a-uuid") { title } }"#)?.code == "BAD_USER_INPUT")
        #expect(refusal(#"subscription { productChanged(id: "\#(product)") }"#)?.message.contains("needs a selection") == true)
        #expect(refusal(#"subscription { productChanged(id: "\#(product)", extra: 1) { title } }"#)?.message.contains("Unknown argument") == true)
        #expect(refusal(#"subscription { productChanged(id: "\#(product)") @skip(if: true) { title } }"#) != nil)
        #expect(refusal(#"subscription($emporiumLiveId: ID!) { productChanged(id: $emporiumLiveId) { title } }"#)?.message.contains("reserved") == true)
        #expect(refusal("subscription {")?.code == "GRAPHQL_PARSE_FAILED")
        #expect(refusal("subscription A { x } subscription B { y }")?.message.contains("operation name") == true)
        #expect(refusal(#"subscription { orderUpdated(id: "\#(product)") { id } }"#)?.code == "UNAUTHENTICATED")
        #expect(refusal(String(repeating: " ", count: LivePlanner.maximumQueryBytes + 1) + "{ x }")?.code == "BAD_REQUEST")
    }

    @Test func variableNamesAreFoundInPrintedGraphQL() {
        #expect(LivePlanner.variableNames(in: "{ a(x: $one) b @include(if: $two_2) c }") == ["one", "two_2"])
        #expect(LivePlanner.variableNames(in: "{ a }") == [])
    }
}
