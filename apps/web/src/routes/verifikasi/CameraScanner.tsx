import { useEffect, useRef, useState } from 'react';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { CameraError, openRearCamera, scanVideo, stopStream, type CameraProblem } from '../../verifier/camera.ts';

const PROBLEM_MESSAGES: Record<CameraProblem, MessageKey> = {
  denied: 'verify.cameraDenied',
  missing: 'verify.cameraMissing',
  busy: 'verify.cameraBusy',
  insecure: 'verify.cameraInsecure',
  failed: 'verify.cameraFailed',
};

interface Props {
  onFound: (text: string) => void;
  onClose: () => void;
}

/** The live camera view; mounted only while scanning, so unmounting always turns the camera off. */
export function CameraScanner({ onFound, onClose }: Props) {
  const { t } = useI18n();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [phase, setPhase] = useState<'starting' | 'looking'>('starting');
  const [problem, setProblem] = useState<CameraProblem>();
  const [foreign, setForeign] = useState(false);
  const onFoundRef = useRef(onFound);
  onFoundRef.current = onFound;

  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopScan: (() => void) | undefined;
    let cancelled = false;
    void (async () => {
      try {
        stream = await openRearCamera();
        const video = videoRef.current;
        if (cancelled || !video) {
          stopStream(stream);
          return;
        }
        video.srcObject = stream;
        await video.play();
        setPhase('looking');
        stopScan = scanVideo(video, {
          onFound: (text) => {
            stopStream(stream);
            onFoundRef.current(text);
          },
          onForeign: () => setForeign(true),
        });
      } catch (error) {
        stopStream(stream);
        if (!cancelled) setProblem(error instanceof CameraError ? error.problem : 'failed');
      }
    })();
    return () => {
      cancelled = true;
      stopScan?.();
      stopStream(stream);
    };
  }, []);

  if (problem) {
    return (
      <div className="notice notice--error" role="alert" data-testid="camera-problem" data-problem={problem}>
        <p>{t(PROBLEM_MESSAGES[problem])}</p>
        <button type="button" className="button button--secondary" onClick={onClose}>
          {t('verify.scanStop')}
        </button>
      </div>
    );
  }

  return (
    <div className="scanner">
      <div className="scanner__frame">
        <video ref={videoRef} className="scanner__video" muted playsInline aria-label={t('verify.videoLabel')} />
        <span className="scanner__target" aria-hidden="true" />
      </div>
      <p className="scanner__status" role="status">
        {phase === 'starting' ? t('verify.scanStarting') : foreign ? t('verify.scanForeign') : t('verify.scanLooking')}
      </p>
      <p className="muted small">{t('verify.scanHint')}</p>
      <button type="button" className="button button--secondary button--block" onClick={onClose}>
        {t('verify.scanStop')}
      </button>
    </div>
  );
}
