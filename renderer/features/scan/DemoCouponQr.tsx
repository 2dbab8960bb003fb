import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n/useT';

/**
 * Demo mode: the QR a visitor's Douyin app would show for a demo coupon (the embedded sandbox's
 * short link), large enough to photograph or print and hold up to the webcam. Asked for afresh
 * each time it opens: after a verify the visitor's QR changes, as Douyin's does.
 */
export function DemoCouponQr({ orderId }: { orderId: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [qr, setQr] = useState<{ link: string; image: string } | null>(null);

  useEffect(() => {
    if (!open) return;
    let left = false;
    void (async () => {
      const result = await api.invoke('demo.couponQr', { orderId });
      if (!result.ok || left) return;
      // The camera's decoder library also writes QR codes: no second QR dependency.
      const { BrowserQRCodeSvgWriter } = await import('@zxing/browser');
      const svg = new BrowserQRCodeSvgWriter().write(result.value.shortLink, 320, 320);
      const image = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
      if (!left) setQr({ link: result.value.shortLink, image });
    })();
    return () => {
      left = true;
    };
  }, [open, orderId]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <>
      <button type="button" className="demo-qr-open" data-testid={`demo-qr-${orderId}`} onClick={() => setOpen(true)}>
        {t('demo.qr.show')}
      </button>
      {open && (
        <div className="demo-qr" role="dialog" aria-label={t('demo.qr.title')} data-testid="demo-qr">
          <h2>{t('demo.qr.title')}</h2>
          {qr && <img src={qr.image} width={320} height={320} alt={qr.link} data-testid="demo-qr-image" />}
          {qr && (
            <p className="code" data-testid="demo-qr-link">
              {qr.link}
            </p>
          )}
          <p className="muted">{t('demo.qr.hint')}</p>
          <button
            type="button"
            onClick={() => {
              setOpen(false);
              setQr(null);
            }}
          >
            {t('demo.qr.close')}
          </button>
        </div>
      )}
    </>
  );
}
