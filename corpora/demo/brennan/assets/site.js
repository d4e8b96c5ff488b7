// cookie banner
(function(){var b=document.getElementById('cookie-banner');if(!b)return;
var ok=b.getElementsByTagName('a')[0];ok.onclick=function(e){e.preventDefault();b.style.display='none';};})();
