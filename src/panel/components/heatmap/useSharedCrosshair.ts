import { useCallback, useEffect, useMemo, useState } from 'react';
import { DataHoverClearEvent, DataHoverEvent, type BusEvent, type EventBus } from '@grafana/data';
import { throttle } from 'lodash';

/**
 * The dashboard's shared crosshair, both ways, when cursor sync is on (@grafana/ui `usePanelContext`): hovering
 * publishes a
 * `DataHoverEvent` with `point.time` (ms) and leaving publishes `DataHoverClearEvent`; hover events of other panels
 * move this panel's crosshair. Events are published untagged, so uPlot panels follow them (they ignore only their
 * own 'uplot'-tagged ones, which sync natively); their 'uplot'-tagged events are followed here, because this panel
 * is not a uPlot chart. Own events are recognised by origin (Grafana's scoped panel bus sets it) or by identity.
 */
/** Events this panel published (event objects are unique, so a module-wide weak set is enough). */
const sent = new WeakSet<BusEvent>();

export function useSharedCrosshair(eventBus: EventBus | undefined, enabled: boolean) {
  const [remoteTime, setRemoteTime] = useState<number>();

  useEffect(() => {
    if (!eventBus || !enabled) {
      return;
    }
    const mine = (e: BusEvent) => sent.has(e) || e.origin === eventBus;
    const hover = eventBus.getStream(DataHoverEvent).subscribe((e) => {
      const time = e.payload?.point?.time;
      if (!mine(e) && typeof time === 'number') {
        setRemoteTime(time);
      }
    });
    const clear = eventBus.getStream(DataHoverClearEvent).subscribe((e) => {
      if (!mine(e)) {
        setRemoteTime(undefined);
      }
    });
    return () => {
      hover.unsubscribe();
      clear.unsubscribe();
    };
  }, [eventBus, enabled]);

  // At most one event per frame (uPlot panels throttle to 100 ms; a crosshair should keep up with the mouse).
  const publish = useMemo(
    () =>
      throttle(
        (time: number | undefined) => {
          if (!eventBus || !enabled) {
            return;
          }
          const event = time === undefined ? new DataHoverClearEvent() : new DataHoverEvent({ point: { time } });
          sent.add(event);
          eventBus.publish(event);
        },
        16,
        { leading: true, trailing: true }
      ),
    [eventBus, enabled]
  );
  useEffect(() => () => publish.cancel(), [publish]);

  const publishTime = useCallback((time: number | undefined) => publish(time), [publish]);
  return { remoteTime: eventBus && enabled ? remoteTime : undefined, publishTime };
}
