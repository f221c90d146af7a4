import { readExtensionObject, readNodeId, skipDiagnosticInfo, type Cursor, type ExtObjHeader } from './grammar.js';
import { MAX_DEPTH, arrayLength, skipDataValue, skipVariant } from './services.js';

/**
 * DefaultBinary type ids of the Subscription (OPC 10000-4 §5.13) and MonitoredItem (§5.12) services
 * decoded here besides CreateSubscription and CreateMonitoredItems (Schema/NodeIds.csv).
 */
export const SubscriptionServiceId = {
  ModifyMonitoredItemsRequest: 763,
  ModifyMonitoredItemsResponse: 766,
  SetMonitoringModeRequest: 769,
  SetMonitoringModeResponse: 772,
  DeleteMonitoredItemsRequest: 781,
  DeleteMonitoredItemsResponse: 784,
  ModifySubscriptionRequest: 793,
  ModifySubscriptionResponse: 796,
  SetPublishingModeRequest: 799,
  SetPublishingModeResponse: 802,
  PublishRequest: 826,
  PublishResponse: 829,
  RepublishRequest: 832,
  RepublishResponse: 835,
  DeleteSubscriptionsRequest: 847,
  DeleteSubscriptionsResponse: 850,
} as const;

/** DefaultBinary type ids of the NotificationData ExtensionObjects (OPC 10000-4 §7.25; Schema/NodeIds.csv). */
export const NotificationTypeId = { DataChange: 811, StatusChange: 820, EventList: 916 } as const;

/** Service bodies of this file; vectors are cut at `max` entries (limits.maxVectorLength), `dropped` counts the rest. */
export type SubscriptionServiceBody =
  | ModifySubscriptionRequest
  | ModifySubscriptionResponse
  | SetPublishingModeRequest
  | PublishRequest
  | PublishResponse
  | RepublishRequest
  | RepublishResponse
  | DeleteSubscriptionsRequest
  | ModifyMonitoredItemsRequest
  | ModifyMonitoredItemsResponse
  | SetMonitoringModeRequest
  | DeleteMonitoredItemsRequest
  | StatusResultsResponse;

/** ModifySubscriptionRequest (OPC 10000-4 §5.13.3); interval in milliseconds (Duration). */
export interface ModifySubscriptionRequest {
  kind: 'modify_subscription_req';
  subscriptionId: number;
  publishingInterval: number;
  lifetimeCount: number;
  maxKeepAliveCount: number;
  maxNotificationsPerPublish: number;
  priority: number;
}

/** ModifySubscriptionResponse (OPC 10000-4 §5.13.3); interval in milliseconds. */
export interface ModifySubscriptionResponse {
  kind: 'modify_subscription_res';
  publishingInterval: number;
  lifetimeCount: number;
  maxKeepAliveCount: number;
}

/** SetPublishingModeRequest (OPC 10000-4 §5.13.4). */
export interface SetPublishingModeRequest {
  kind: 'set_publishing_mode_req';
  publishingEnabled: boolean;
  subscriptionIds: number[];
  dropped: number;
}

/** PublishRequest (OPC 10000-4 §5.13.5): SubscriptionAcknowledgements as two parallel arrays. */
export interface PublishRequest {
  kind: 'publish_req';
  ackSubscriptionIds: number[];
  ackSequenceNumbers: number[];
  dropped: number;
}

/**
 * A NotificationMessage (OPC 10000-4 §7.26) summarised: its SequenceNumber, PublishTime (seconds since
 * the epoch, null when 0) and the NotificationData ExtensionObjects counted by type (§7.25):
 * DataChangeNotifications and their MonitoredItemNotifications, EventNotificationLists and their
 * EventFieldLists, StatusChangeNotifications with their Status codes (at most `max` kept).
 */
export interface NotificationSummary {
  sequenceNumber: number;
  publishTime: number | null;
  dataCount: number;
  dataChanges: number;
  monitoredItems: number;
  eventLists: number;
  events: number;
  statusChanges: number;
  statusChangeCodes: number[];
}

/** PublishResponse (OPC 10000-4 §5.13.5): Results are the acknowledgement results; DiagnosticInfos skipped. */
export interface PublishResponse {
  kind: 'publish_res';
  subscriptionId: number;
  availableSequenceNumbers: number[];
  moreNotifications: boolean;
  message: NotificationSummary;
  results: number[];
  dropped: number;
}

/** RepublishRequest (OPC 10000-4 §5.13.6). */
export interface RepublishRequest {
  kind: 'republish_req';
  subscriptionId: number;
  retransmitSequenceNumber: number;
}

/** RepublishResponse (OPC 10000-4 §5.13.6). */
export interface RepublishResponse {
  kind: 'republish_res';
  message: NotificationSummary;
  dropped: number;
}

/** DeleteSubscriptionsRequest (OPC 10000-4 §5.13.8). */
export interface DeleteSubscriptionsRequest {
  kind: 'delete_subscriptions_req';
  subscriptionIds: number[];
  dropped: number;
}

/** One MonitoredItemModifyRequest (OPC 10000-4 §5.12.3, MonitoringParameters §7.21); the filter body is skipped. */
export interface MonitoredItemModify {
  monitoredItemId: number;
  clientHandle: number;
  samplingInterval: number;
  filter: ExtObjHeader;
  queueSize: number;
  discardOldest: boolean;
}

/** ModifyMonitoredItemsRequest (OPC 10000-4 §5.12.3). */
export interface ModifyMonitoredItemsRequest {
  kind: 'modify_monitored_items_req';
  subscriptionId: number;
  timestampsToReturn: number;
  items: MonitoredItemModify[];
  dropped: number;
}

/** One MonitoredItemModifyResult (OPC 10000-4 §5.12.3); the FilterResult body is skipped. */
export interface MonitoredItemModifyResult {
  status: number;
  revisedSamplingInterval: number;
  revisedQueueSize: number;
}

/** ModifyMonitoredItemsResponse (OPC 10000-4 §5.12.3): Results; DiagnosticInfos skipped. */
export interface ModifyMonitoredItemsResponse {
  kind: 'modify_monitored_items_res';
  results: MonitoredItemModifyResult[];
  dropped: number;
}

/** SetMonitoringModeRequest (OPC 10000-4 §5.12.4). */
export interface SetMonitoringModeRequest {
  kind: 'set_monitoring_mode_req';
  subscriptionId: number;
  monitoringMode: number;
  monitoredItemIds: number[];
  dropped: number;
}

/** DeleteMonitoredItemsRequest (OPC 10000-4 §5.12.6). */
export interface DeleteMonitoredItemsRequest {
  kind: 'delete_monitored_items_req';
  subscriptionId: number;
  monitoredItemIds: number[];
  dropped: number;
}

/**
 * A response made of Results (StatusCode[]) and DiagnosticInfos only: SetPublishingMode (§5.13.4),
 * DeleteSubscriptions (§5.13.8), SetMonitoringMode (§5.12.4), DeleteMonitoredItems (§5.12.6).
 * `typeId` names which.
 */
export interface StatusResultsResponse {
  kind: 'status_results_res';
  typeId: number;
  results: number[];
  dropped: number;
}

/**
 * Decode the body of one of the services of this file after its header, or null when `typeId` is not
 * one of them. A body that does not parse marks the cursor bad (the caller reports it).
 */
export function decodeSubscriptionBody(c: Cursor, typeId: number, max: number): SubscriptionServiceBody | null {
  const counter = { dropped: 0 };
  switch (typeId) {
    case SubscriptionServiceId.ModifySubscriptionRequest:
      return { kind: 'modify_subscription_req', subscriptionId: c.u32(), publishingInterval: c.f64(), lifetimeCount: c.u32(), maxKeepAliveCount: c.u32(), maxNotificationsPerPublish: c.u32(), priority: c.u8() };
    case SubscriptionServiceId.ModifySubscriptionResponse:
      return { kind: 'modify_subscription_res', publishingInterval: c.f64(), lifetimeCount: c.u32(), maxKeepAliveCount: c.u32() };
    case SubscriptionServiceId.SetPublishingModeRequest: {
      const publishingEnabled = c.u8() !== 0;
      const subscriptionIds = u32s(c, max, counter);
      return { kind: 'set_publishing_mode_req', publishingEnabled, subscriptionIds, dropped: counter.dropped };
    }
    case SubscriptionServiceId.PublishRequest:
      return publishRequest(c, max);
    case SubscriptionServiceId.PublishResponse: {
      const subscriptionId = c.u32();
      const availableSequenceNumbers = u32s(c, max, counter);
      const moreNotifications = c.u8() !== 0;
      const message = notificationMessage(c, max, counter);
      const results = u32s(c, max, counter);
      skipDiagnosticInfos(c);
      return { kind: 'publish_res', subscriptionId, availableSequenceNumbers, moreNotifications, message, results, dropped: counter.dropped };
    }
    case SubscriptionServiceId.RepublishRequest:
      return { kind: 'republish_req', subscriptionId: c.u32(), retransmitSequenceNumber: c.u32() };
    case SubscriptionServiceId.RepublishResponse: {
      const message = notificationMessage(c, max, counter);
      return { kind: 'republish_res', message, dropped: counter.dropped };
    }
    case SubscriptionServiceId.DeleteSubscriptionsRequest: {
      const subscriptionIds = u32s(c, max, counter);
      return { kind: 'delete_subscriptions_req', subscriptionIds, dropped: counter.dropped };
    }
    case SubscriptionServiceId.ModifyMonitoredItemsRequest:
      return modifyMonitoredItemsRequest(c, max);
    case SubscriptionServiceId.ModifyMonitoredItemsResponse:
      return modifyMonitoredItemsResponse(c, max);
    case SubscriptionServiceId.SetMonitoringModeRequest: {
      const subscriptionId = c.u32();
      const monitoringMode = c.u32();
      const monitoredItemIds = u32s(c, max, counter);
      return { kind: 'set_monitoring_mode_req', subscriptionId, monitoringMode, monitoredItemIds, dropped: counter.dropped };
    }
    case SubscriptionServiceId.DeleteMonitoredItemsRequest: {
      const subscriptionId = c.u32();
      const monitoredItemIds = u32s(c, max, counter);
      return { kind: 'delete_monitored_items_req', subscriptionId, monitoredItemIds, dropped: counter.dropped };
    }
    case SubscriptionServiceId.SetPublishingModeResponse:
    case SubscriptionServiceId.DeleteSubscriptionsResponse:
    case SubscriptionServiceId.SetMonitoringModeResponse:
    case SubscriptionServiceId.DeleteMonitoredItemsResponse: {
      const results = u32s(c, max, counter);
      skipDiagnosticInfos(c);
      return { kind: 'status_results_res', typeId, results, dropped: counter.dropped };
    }
    default:
      return null;
  }
}

/** A UInt32[] (or StatusCode[]) cut at `max` entries; `counter.dropped` counts the rest. */
function u32s(c: Cursor, max: number, counter: { dropped: number }): number[] {
  const n = arrayLength(c);
  const out: number[] = [];
  for (let i = 0; i < n && !c.bad; i++) {
    const v = c.u32();
    if (out.length < max) out.push(v);
    else counter.dropped++;
  }
  return out;
}

function skipDiagnosticInfos(c: Cursor): void {
  const d = arrayLength(c);
  for (let i = 0; i < d && !c.bad; i++) skipDiagnosticInfo(c, MAX_DEPTH);
}

function publishRequest(c: Cursor, max: number): PublishRequest {
  const n = arrayLength(c);
  const ackSubscriptionIds: number[] = [];
  const ackSequenceNumbers: number[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const id = c.u32();
    const seq = c.u32();
    if (ackSubscriptionIds.length < max) {
      ackSubscriptionIds.push(id);
      ackSequenceNumbers.push(seq);
    } else dropped++;
  }
  return { kind: 'publish_req', ackSubscriptionIds, ackSequenceNumbers, dropped };
}

/**
 * A NotificationMessage (OPC 10000-4 §7.26): the NotificationData bodies of the three known types are
 * walked with the cursor's end set to their ByteString's end (a read past it marks the cursor bad) to count
 * their entries; other types are counted and skipped.
 */
function notificationMessage(c: Cursor, max: number, counter: { dropped: number }): NotificationSummary {
  const s: NotificationSummary = { sequenceNumber: c.u32(), publishTime: c.dateTime(), dataCount: 0, dataChanges: 0, monitoredItems: 0, eventLists: 0, events: 0, statusChanges: 0, statusChangeCodes: [] };
  const n = arrayLength(c);
  s.dataCount = n;
  for (let i = 0; i < n && !c.bad; i++) {
    const t = readNodeId(c, false);
    const enc = c.u8();
    if (enc === 0) continue;
    if (enc !== 1 && enc !== 2) {
      c.bad = true;
      break;
    }
    const len = c.i32();
    if (len < 0) continue;
    const end = c.pos + len;
    if (end > c.end) {
      c.bad = true;
      break;
    }
    const id = enc === 1 && t.ns <= 0 ? t.numeric : -1;
    const outer = c.end;
    c.end = end;
    if (id === NotificationTypeId.DataChange) {
      s.dataChanges++;
      const m = arrayLength(c);
      for (let j = 0; j < m && !c.bad; j++) {
        c.u32();
        skipDataValue(c, 0);
        s.monitoredItems++;
      }
      skipDiagnosticInfos(c);
    } else if (id === NotificationTypeId.EventList) {
      s.eventLists++;
      const m = arrayLength(c);
      for (let j = 0; j < m && !c.bad; j++) {
        c.u32();
        const f = arrayLength(c);
        for (let k = 0; k < f && !c.bad; k++) skipVariant(c, 1);
        s.events++;
      }
    } else if (id === NotificationTypeId.StatusChange) {
      s.statusChanges++;
      const code = c.u32();
      skipDiagnosticInfo(c, MAX_DEPTH);
      if (s.statusChangeCodes.length < max) s.statusChangeCodes.push(code);
      else counter.dropped++;
    }
    c.end = outer;
    c.pos = end;
  }
  return s;
}

function modifyMonitoredItemsRequest(c: Cursor, max: number): ModifyMonitoredItemsRequest {
  const subscriptionId = c.u32();
  const timestampsToReturn = c.u32();
  const n = arrayLength(c);
  const items: MonitoredItemModify[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const monitoredItemId = c.u32();
    const clientHandle = c.u32();
    const samplingInterval = c.f64();
    const filter = readExtensionObject(c);
    const queueSize = c.u32();
    const discardOldest = c.u8() !== 0;
    if (items.length < max) items.push({ monitoredItemId, clientHandle, samplingInterval, filter, queueSize, discardOldest });
    else dropped++;
  }
  return { kind: 'modify_monitored_items_req', subscriptionId, timestampsToReturn, items, dropped };
}

function modifyMonitoredItemsResponse(c: Cursor, max: number): ModifyMonitoredItemsResponse {
  const n = arrayLength(c);
  const results: MonitoredItemModifyResult[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const r: MonitoredItemModifyResult = { status: c.u32(), revisedSamplingInterval: c.f64(), revisedQueueSize: c.u32() };
    readExtensionObject(c);
    if (results.length < max) results.push(r);
    else dropped++;
  }
  skipDiagnosticInfos(c);
  return { kind: 'modify_monitored_items_res', results, dropped };
}
