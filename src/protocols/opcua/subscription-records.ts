import type { LogRecord } from '../../events/record.js';
import type { StreamSchema } from '../../events/schema.js';
import type { FlowContext } from '../../session/analyzer.js';
import { ExtraStatusSource, FILTER_TYPES, monitoringModeName, statusCodeRecord, timestampsToReturnName, wholeMs, type LinkIds } from './child-records.js';
import {
  OPCUA_DELETE_MONITORED_ITEMS_STREAM,
  OPCUA_DELETE_SUBSCRIPTIONS_STREAM,
  OPCUA_MODIFY_ITEM_STREAM,
  OPCUA_MODIFY_MONITORED_ITEMS_STREAM,
  OPCUA_MODIFY_SUBSCRIPTION_STREAM,
  OPCUA_PUBLISH_STREAM,
  OPCUA_REPUBLISH_STREAM,
  OPCUA_SET_MONITORING_MODE_STREAM,
  OPCUA_SET_PUBLISHING_MODE_STREAM,
  OPCUA_STATUS_CODE_STREAM,
} from './log.js';
import type { UaMessage } from './message.js';
import { SubscriptionServiceId, type ModifyMonitoredItemsRequest, type ModifyMonitoredItemsResponse, type NotificationSummary, type PublishResponse, type StatusResultsResponse } from './subscription-services.js';
import type { UaFlowIds } from './transactions.js';
import { uaRow } from './side-columns.js';

type Row = Record<string, LogRecord[string]>;

/** A service row of `schema`'s stream with its side columns and `opcua_link_id` set, the rest null. */
function head(schema: StreamSchema, flow: UaFlowIds, m: UaMessage): Row {
  return uaRow(schema)(flow, m, { opcua_link_id: m.linkId });
}

/** Write `codes` to opcua_binary_status_code_detail under one new link. @returns the link, or null when there are none */
function statusRows(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, links: LinkIds, codes: readonly number[], source: number, sourceStr: string): string | null {
  if (codes.length === 0) return null;
  const link = links.nextLink();
  for (const code of codes) ctx.emit(OPCUA_STATUS_CODE_STREAM.name, statusCodeRecord(flow, m, link, code, source, sourceStr, 0));
  return link;
}

/** Where the Results of the StatusCode-only responses go: stream, status source and its name, by response type id. */
const RESULT_STREAMS = new Map<number, readonly [StreamSchema, number, string]>([
  [SubscriptionServiceId.SetPublishingModeResponse, [OPCUA_SET_PUBLISHING_MODE_STREAM, ExtraStatusSource.SetPublishingMode, 'SetPublishingMode']],
  [SubscriptionServiceId.DeleteSubscriptionsResponse, [OPCUA_DELETE_SUBSCRIPTIONS_STREAM, ExtraStatusSource.DeleteSubscriptions, 'DeleteSubscriptions']],
  [SubscriptionServiceId.SetMonitoringModeResponse, [OPCUA_SET_MONITORING_MODE_STREAM, ExtraStatusSource.SetMonitoringMode, 'SetMonitoringMode']],
  [SubscriptionServiceId.DeleteMonitoredItemsResponse, [OPCUA_DELETE_MONITORED_ITEMS_STREAM, ExtraStatusSource.DeleteMonitoredItems, 'DeleteMonitoredItems']],
]);

/**
 * Write the records of a decoded subscription or monitored-item service message (OPC 10000-4 §5.13.3–
 * §5.13.6, §5.13.8, §5.12.3, §5.12.4, §5.12.6): one row in the service's log linked to the message by
 * opcua_link_id, result StatusCodes in opcua_binary_status_code_detail, and for ModifyMonitoredItems
 * one opcua_binary_modify_monitored_items_modify_item row per item or result. Does nothing for
 * other messages.
 */
export function emitSubscriptionRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, links: LinkIds): void {
  const b = m.body;
  if (b === null) return;
  switch (b.kind) {
    case 'modify_subscription_req': {
      const r = head(OPCUA_MODIFY_SUBSCRIPTION_STREAM, flow, m);
      r.subscription_id = b.subscriptionId;
      r.requested_publishing_interval = wholeMs(b.publishingInterval);
      r.requested_lifetime_count = b.lifetimeCount;
      r.requested_max_keep_alive_count = b.maxKeepAliveCount;
      r.max_notifications_per_publish = b.maxNotificationsPerPublish;
      r.priority = b.priority;
      ctx.emit(OPCUA_MODIFY_SUBSCRIPTION_STREAM.name, r);
      return;
    }
    case 'modify_subscription_res': {
      const r = head(OPCUA_MODIFY_SUBSCRIPTION_STREAM, flow, m);
      r.revised_publishing_interval = wholeMs(b.publishingInterval);
      r.revised_lifetime_count = b.lifetimeCount;
      r.revised_max_keep_alive_count = b.maxKeepAliveCount;
      ctx.emit(OPCUA_MODIFY_SUBSCRIPTION_STREAM.name, r);
      return;
    }
    case 'set_publishing_mode_req': {
      const r = head(OPCUA_SET_PUBLISHING_MODE_STREAM, flow, m);
      r.publishing_enabled = b.publishingEnabled;
      r.subscription_ids = b.subscriptionIds;
      ctx.emit(OPCUA_SET_PUBLISHING_MODE_STREAM.name, r);
      return;
    }
    case 'delete_subscriptions_req': {
      const r = head(OPCUA_DELETE_SUBSCRIPTIONS_STREAM, flow, m);
      r.subscription_ids = b.subscriptionIds;
      ctx.emit(OPCUA_DELETE_SUBSCRIPTIONS_STREAM.name, r);
      return;
    }
    case 'set_monitoring_mode_req': {
      const r = head(OPCUA_SET_MONITORING_MODE_STREAM, flow, m);
      r.subscription_id = b.subscriptionId;
      r.monitoring_mode = monitoringModeName(b.monitoringMode);
      r.monitored_item_ids = b.monitoredItemIds;
      ctx.emit(OPCUA_SET_MONITORING_MODE_STREAM.name, r);
      return;
    }
    case 'delete_monitored_items_req': {
      const r = head(OPCUA_DELETE_MONITORED_ITEMS_STREAM, flow, m);
      r.subscription_id = b.subscriptionId;
      r.monitored_item_ids = b.monitoredItemIds;
      ctx.emit(OPCUA_DELETE_MONITORED_ITEMS_STREAM.name, r);
      return;
    }
    case 'status_results_res':
      statusResultsRecord(ctx, flow, m, b, links);
      return;
    case 'publish_req': {
      const r = head(OPCUA_PUBLISH_STREAM, flow, m);
      r.ack_subscription_ids = b.ackSubscriptionIds;
      r.ack_sequence_numbers = b.ackSequenceNumbers;
      notificationColumns(ctx, flow, m, links, r, null);
      ctx.emit(OPCUA_PUBLISH_STREAM.name, r);
      return;
    }
    case 'publish_res':
      publishResponseRecord(ctx, flow, m, b, links);
      return;
    case 'republish_req': {
      const r = head(OPCUA_REPUBLISH_STREAM, flow, m);
      r.subscription_id = b.subscriptionId;
      r.retransmit_sequence_number = b.retransmitSequenceNumber;
      notificationColumns(ctx, flow, m, links, r, null);
      ctx.emit(OPCUA_REPUBLISH_STREAM.name, r);
      return;
    }
    case 'republish_res': {
      const r = head(OPCUA_REPUBLISH_STREAM, flow, m);
      notificationColumns(ctx, flow, m, links, r, b.message);
      ctx.emit(OPCUA_REPUBLISH_STREAM.name, r);
      return;
    }
    case 'modify_monitored_items_req':
    case 'modify_monitored_items_res':
      modifyMonitoredItemsRecords(ctx, flow, m, b, links);
      return;
    default:
      return;
  }
}

/** The notification columns of a publish or republish row (log.ts NOTIFICATION_COLUMNS), unset when `n` is null. */
function notificationColumns(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, links: LinkIds, r: Row, n: NotificationSummary | null): void {
  r.notification_sequence_number = n === null ? null : n.sequenceNumber;
  r.publish_time = n === null ? null : n.publishTime;
  r.notification_data_count = n === null ? null : n.dataCount;
  r.data_change_notifications = n === null ? null : n.dataChanges;
  r.monitored_item_notifications = n === null ? null : n.monitoredItems;
  r.event_notification_lists = n === null ? null : n.eventLists;
  r.event_field_lists = n === null ? null : n.events;
  r.status_change_notifications = n === null ? null : n.statusChanges;
  r.status_change_status_code_link_id = n === null ? null : statusRows(ctx, flow, m, links, n.statusChangeCodes, ExtraStatusSource.StatusChangeNotification, 'StatusChangeNotification');
}

function publishResponseRecord(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: PublishResponse, links: LinkIds): void {
  const r = head(OPCUA_PUBLISH_STREAM, flow, m);
  r.subscription_id = b.subscriptionId;
  r.available_sequence_numbers = b.availableSequenceNumbers;
  r.more_notifications = b.moreNotifications;
  notificationColumns(ctx, flow, m, links, r, b.message);
  r.status_code_link_id = statusRows(ctx, flow, m, links, b.results, ExtraStatusSource.Publish, 'Publish');
  ctx.emit(OPCUA_PUBLISH_STREAM.name, r);
}

function statusResultsRecord(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: StatusResultsResponse, links: LinkIds): void {
  const where = RESULT_STREAMS.get(b.typeId);
  if (where === undefined) return;
  const [stream, source, sourceStr] = where;
  const r = head(stream, flow, m); // a response leaves the request's columns unset (null)
  r.status_code_link_id = statusRows(ctx, flow, m, links, b.results, source, sourceStr);
  ctx.emit(stream.name, r);
}

function modifyItemRow(flow: UaFlowIds, m: UaMessage, link: string | null): Row {
  return uaRow(OPCUA_MODIFY_ITEM_STREAM)(flow, m, { modify_item_link_id: link });
}

function modifyMonitoredItemsRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: ModifyMonitoredItemsRequest | ModifyMonitoredItemsResponse, links: LinkIds): void {
  const n = b.kind === 'modify_monitored_items_req' ? b.items.length : b.results.length;
  const link = n > 0 ? links.nextLink() : null;
  const r = head(OPCUA_MODIFY_MONITORED_ITEMS_STREAM, flow, m);
  if (b.kind === 'modify_monitored_items_req') {
    for (const it of b.items) {
      const row = modifyItemRow(flow, m, link);
      const f = it.filter;
      const filterSet = f.encoding !== 0 || f.node.numeric !== 0 || f.node.encoding > 1;
      row.monitored_item_id = it.monitoredItemId;
      row.monitoring_parameters_client_handle = it.clientHandle;
      row.monitoring_parameters_sampling_interval = it.samplingInterval;
      row.monitoring_parameters_queue_size = it.queueSize;
      row.monitoring_parameters_discard_oldest = it.discardOldest;
      row.monitoring_parameters_filter_info_type_id_string = filterSet ? (FILTER_TYPES.get(f.typeId) ?? `Unknown_${f.typeId}`) : null;
      ctx.emit(OPCUA_MODIFY_ITEM_STREAM.name, row);
    }
    r.subscription_id = b.subscriptionId;
    r.timestamps_to_return = b.timestampsToReturn;
    r.timestamps_to_return_str = timestampsToReturnName(b.timestampsToReturn);
  } else {
    for (const res of b.results) {
      const row = modifyItemRow(flow, m, link);
      row.monitoring_parameters_status_code_link_id = statusRows(ctx, flow, m, links, [res.status], ExtraStatusSource.ModifyMonitoredItems, 'ModifyMonitoredItems');
      row.monitoring_parameters_revised_sampling_interval = res.revisedSamplingInterval;
      row.monitoring_parameters_revised_queue_size = res.revisedQueueSize;
      ctx.emit(OPCUA_MODIFY_ITEM_STREAM.name, row);
    }
    r.subscription_id = null;
    r.timestamps_to_return = null;
    r.timestamps_to_return_str = null;
  }
  r.modify_item_link_id = link;
  ctx.emit(OPCUA_MODIFY_MONITORED_ITEMS_STREAM.name, r);
}
