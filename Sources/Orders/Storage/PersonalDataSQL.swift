import Database
import EmporiumCore
import Logging
import PostgresNIO

/// Everything the orders service keeps about a buyer, as one JSON document built by PostgreSQL:
/// the cart, every order (with its shipping address, each shop's part, lines and history) and
/// the returns they asked for. What they sold as a seller is the shop's business record, not
/// their personal data, and stays out.
enum PersonalDataSQL {
    static func document(of buyer: UserID, on connection: PostgresConnection, logger: Logger) async throws -> String {
        let rows = try await connection.query("""
            SELECT jsonb_build_object(
                'cart', COALESCE((SELECT jsonb_agg(jsonb_build_object('productId', product_id, 'quantity', quantity, 'addedAt', added_at)
                    ORDER BY added_at) FROM orders.cart_lines WHERE buyer_id = \(buyer.rawValue)), '[]'::jsonb),
                'orders', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                    'id', o.id, 'status', o.status, 'currency', o.currency, 'total', o.total_amount::text,
                    'shippingAddress', o.shipping_address, 'reason', o.reason, 'paidAt', o.paid_at, 'refundedAt', o.refunded_at,
                    'createdAt', o.created_at, 'updatedAt', o.updated_at,
                    'sellerOrders', (SELECT jsonb_agg(jsonb_build_object('id', s.id, 'sellerId', s.seller_id, 'status', s.status,
                        'subtotal', s.subtotal_amount::text, 'trackingNumber', s.tracking_number) ORDER BY s.seller_id)
                        FROM orders.seller_orders s WHERE s.order_id = o.id),
                    'lines', (SELECT jsonb_agg(jsonb_build_object('productId', l.product_id, 'title', l.title, 'quantity', l.quantity,
                        'unitPrice', l.unit_amount::text) ORDER BY l.position) FROM orders.order_lines l WHERE l.order_id = o.id),
                    'history', (SELECT jsonb_agg(jsonb_build_object('from', h.from_status, 'to', h.to_status, 'reason', h.reason, 'at', h.at)
                        ORDER BY h.id) FROM orders.order_history h WHERE h.order_id = o.id)
                ) ORDER BY o.created_at, o.id) FROM orders.orders o WHERE o.buyer_id = \(buyer.rawValue)), '[]'::jsonb),
                'returns', COALESCE((SELECT jsonb_agg(jsonb_build_object('id', id, 'orderId', order_id, 'status', status, 'reason', reason,
                    'decisionNote', decision_note, 'amount', amount::text, 'currency', currency, 'createdAt', created_at, 'decidedAt', decided_at)
                    ORDER BY created_at) FROM orders.returns WHERE buyer_id = \(buyer.rawValue)), '[]'::jsonb)
            )::text
            """, logger: logger).decode(String.self).collectAll()
        return rows.first ?? "{}"
    }
}
